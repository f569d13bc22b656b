package org.spikeloop.learn.baseline;

/**
 * A {@link ReluMlp} converted to a rate-coded spiking network (Diehl et al. 2015; Rueckauer et al.
 * 2017, "Conversion of continuous-valued deep networks to efficient event-driven networks for image
 * classification", Front. Neurosci.): each hidden ReLU becomes a non-leaky integrate-and-fire
 * neuron whose firing rate approximates its activation.
 *
 * <ul>
 *   <li><b>Data-based weight normalisation</b> (Rueckauer et al. 2017, Sec. 2.2.1): λ_l is the
 *       {@value #PERCENTILE}-th percentile of hidden layer l's positive activations on the training
 *       inputs (robust to outliers, unlike the maximum of Diehl et al. 2015); λ_0 = 1 (the input is
 *       injected as a current, not as spikes). Then W'_l = W_l·λ_{l−1}/λ_l and b'_l = b_l/λ_l, so
 *       the normalised activation a_l/λ_l is mostly within [0, 1], the rate range of a unit with
 *       threshold 1 firing at most once a step.
 *   <li><b>Integrate-and-fire with reset by subtraction</b> (Rueckauer et al. 2017, Eq. 2–3):
 *       V_l(t) = V_l(t−1) + W'_l·s_{l−1}(t) + b'_l, s_l(t) = H(V_l(t) − 1), V_l(t) ← V_l(t) −
 *       s_l(t). The first layer's input s_0(t) = x (an analog, constant current each sub-step).
 *   <li><b>Rate-coded readout</b>: the output layer does not spike; it accumulates the last hidden
 *       layer's spikes, y = W_L·λ_{L−1}·(Σ_t s_{L−1}(t))/T + b_L, which tends to the ANN's output
 *       as the rates settle (T → ∞).
 * </ul>
 *
 * Every decision starts from V = 0 and runs T sub-steps ({@link #decide}), so T is the time budget
 * of one decision (per regression bin, or per trial window).
 *
 * <p>Control plane to build; {@link #decide} allocates nothing and is single-threaded.
 */
public final class ConvertedSnn {
    /** Percentile of the activations used as a layer's scale. */
    public static final double PERCENTILE = 99.9;

    private final int[] sizes;
    private final double[][] weights;
    private final double[][] biases;
    private final double[] lambda;
    private final double[][] v;
    private final double[][] s;
    private final double[] counts;

    private ConvertedSnn(int[] sizes, double[][] weights, double[][] biases, double[] lambda) {
        this.sizes = sizes;
        this.weights = weights;
        this.biases = biases;
        this.lambda = lambda;
        int hidden = sizes.length - 2;
        v = new double[hidden][];
        s = new double[hidden + 1][];
        s[0] = new double[sizes[0]];
        for (int l = 0; l < hidden; l++) {
            v[l] = new double[sizes[l + 1]];
            s[l + 1] = new double[sizes[l + 1]];
        }
        counts = new double[sizes[hidden]];
    }

    /**
     * Converts a trained ANN.
     *
     * @param ann the trained network (not modified)
     * @param training inputs to take each layer's activation percentile on (not modified)
     * @throws IllegalArgumentException for an ANN without a hidden layer or no training inputs
     */
    public static ConvertedSnn convert(ReluMlp ann, double[][] training) {
        int layers = ann.layers();
        if (layers < 2) {
            throw new IllegalArgumentException(
                    "the ANN needs at least one hidden layer to convert");
        }
        if (training.length == 0) {
            throw new IllegalArgumentException("no training inputs to normalise on");
        }
        double[][] a = ann.activations();
        double[][] values = new double[layers - 1][];
        int[] filled = new int[layers - 1];
        for (int l = 0; l < layers - 1; l++) {
            values[l] = new double[training.length * ann.sizes[l + 1]];
        }
        for (double[] x : training) {
            ann.forward(x, a);
            for (int l = 0; l < layers - 1; l++) {
                for (double u : a[l + 1]) {
                    if (u > 0) {
                        values[l][filled[l]++] = u;
                    }
                }
            }
        }
        double[] lambda = new double[layers]; // lambda[l] scales hidden layer l (1-based); [0] = 1
        lambda[0] = 1.0;
        for (int l = 1; l < layers; l++) {
            lambda[l] = percentile(values[l - 1], filled[l - 1], PERCENTILE);
        }
        double[][] w = new double[layers][];
        double[][] b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = ann.weights[l].clone();
            b[l] = ann.biases[l].clone();
            boolean output = l == layers - 1;
            double scaleIn = lambda[l];
            double scaleOut = output ? 1.0 : lambda[l + 1];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] *= scaleIn / scaleOut;
            }
            for (int i = 0; i < b[l].length; i++) {
                b[l][i] /= scaleOut;
            }
        }
        return new ConvertedSnn(ann.sizes.clone(), w, b, lambda);
    }

    /** The p-th percentile of the first n values (nearest rank); 1 when none is positive. */
    static double percentile(double[] values, int n, double p) {
        if (n == 0) {
            return 1.0; // a silent layer: any scale leaves it silent
        }
        double[] sorted = java.util.Arrays.copyOf(values, n);
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))];
    }

    /** The scale λ_l of hidden layer l (1-based: l = 1 is the first hidden layer). */
    public double scale(int l) {
        return lambda[l];
    }

    /**
     * One decision: T sub-steps from rest on a constant input.
     *
     * @param x the input (not modified)
     * @param steps T ≥ 1
     * @param out receives the rate-coded output (modified)
     * @return the spikes of all hidden neurons in the T sub-steps
     */
    public long decide(double[] x, int steps, double[] out) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        int hidden = v.length;
        for (int l = 0; l < hidden; l++) {
            java.util.Arrays.fill(v[l], 0.0);
        }
        java.util.Arrays.fill(counts, 0.0);
        System.arraycopy(x, 0, s[0], 0, sizes[0]);
        long spikes = 0;
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < hidden; l++) {
                int in = sizes[l];
                int n = sizes[l + 1];
                double[] w = weights[l];
                double[] prev = s[l];
                double[] vl = v[l];
                double[] sl = s[l + 1];
                for (int j = 0; j < n; j++) {
                    double acc = biases[l][j];
                    int row = j * in;
                    for (int i = 0; i < in; i++) {
                        double p = prev[i];
                        if (p != 0.0) {
                            acc += w[row + i] * p;
                        }
                    }
                    double vn = vl[j] + acc;
                    if (vn >= 1.0) {
                        sl[j] = 1.0;
                        vn -= 1.0; // reset by subtraction keeps the surplus
                        spikes++;
                    } else {
                        sl[j] = 0.0;
                    }
                    vl[j] = vn;
                }
            }
            double[] last = s[hidden];
            for (int j = 0; j < last.length; j++) {
                counts[j] += last[j];
            }
        }
        int in = sizes[hidden];
        double[] w = weights[hidden];
        for (int k = 0; k < out.length; k++) {
            double acc = 0;
            for (int j = 0; j < in; j++) {
                acc += w[k * in + j] * counts[j];
            }
            out[k] = acc / steps + biases[hidden][k];
        }
        return spikes;
    }
}
