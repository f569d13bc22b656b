package org.spikeloop.learn.baseline;

import org.spikeloop.learn.optim.AdamKernel;

/**
 * Fits a {@link ReluMlp} by mini-batch Adam ({@link AdamKernel}; Kingma &amp; Ba 2015) with L2
 * weight decay on the weights (not the biases), backpropagating either the mean squared error ½·Σ_k
 * (y_k − t_k)² (regression) or the softmax cross-entropy −ln softmax(y)_c (classification),
 * averaged over the mini-batch. Sample order is reshuffled every epoch from the seed, so a fit is
 * reproducible.
 *
 * <p>Control plane: allocates; runs on the caller's thread.
 *
 * @param epochs passes over the data
 * @param batchSize samples per step
 * @param learningRate Adam's η
 * @param weightDecay λ of the L2 term (λ/2)·Σ W²
 * @param seed shuffling seed
 */
public record ReluMlpTrainer(
        int epochs, int batchSize, double learningRate, double weightDecay, long seed) {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    public ReluMlpTrainer {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(
                    "need epochs >= 1, batchSize >= 1, learningRate > 0, weightDecay >= 0");
        }
    }

    /**
     * Regression: minimises the mean squared error to {@code targets}.
     *
     * @param x inputs [n][inputs] (not modified)
     * @param targets [n][outputs] (not modified)
     */
    public void fitRegression(ReluMlp net, double[][] x, double[][] targets) {
        fit(net, x, targets, null);
    }

    /**
     * Classification: minimises the softmax cross-entropy of the labels.
     *
     * @param x inputs [n][inputs] (not modified)
     * @param labels class indices in [0, outputs)
     */
    public void fitClassification(ReluMlp net, double[][] x, int[] labels) {
        for (int c : labels) {
            if (c < 0 || c >= net.outputs()) {
                throw new IllegalArgumentException(
                        "label " + c + " outside [0, " + net.outputs() + ")");
            }
        }
        fit(net, x, null, labels);
    }

    private void fit(ReluMlp net, double[][] x, double[][] targets, int[] labels) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("no training samples");
        }
        int layers = net.layers();
        double[][] gw = new double[layers][];
        double[][] gb = new double[layers][];
        double[][] mw = new double[layers][];
        double[][] vw = new double[layers][];
        double[][] mb = new double[layers][];
        double[][] vb = new double[layers][];
        for (int l = 0; l < layers; l++) {
            gw[l] = new double[net.weights[l].length];
            gb[l] = new double[net.biases[l].length];
            mw[l] = new double[gw[l].length];
            vw[l] = new double[gw[l].length];
            mb[l] = new double[gb[l].length];
            vb[l] = new double[gb[l].length];
        }
        double[][] a = net.activations();
        double[][] delta = net.activations();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        long step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                for (int l = 0; l < layers; l++) {
                    java.util.Arrays.fill(gw[l], 0.0);
                    java.util.Arrays.fill(gb[l], 0.0);
                }
                for (int k = from; k < to; k++) {
                    int s = order[k];
                    net.forward(x[s], a);
                    outputDelta(
                            a[layers],
                            targets == null ? null : targets[s],
                            labels == null ? -1 : labels[s],
                            delta[layers]);
                    backward(net, a, delta, gw, gb);
                }
                double scale = 1.0 / (to - from);
                step++;
                double c1 = AdamKernel.biasCorrection(BETA1, step);
                double c2 = AdamKernel.biasCorrection(BETA2, step);
                for (int l = 0; l < layers; l++) {
                    double[] w = net.weights[l];
                    for (int i = 0; i < w.length; i++) {
                        gw[l][i] = gw[l][i] * scale + weightDecay * w[i];
                    }
                    for (int i = 0; i < gb[l].length; i++) {
                        gb[l][i] *= scale;
                    }
                    AdamKernel.update(
                            w,
                            0,
                            gw[l],
                            mw[l],
                            vw[l],
                            0,
                            w.length,
                            learningRate,
                            BETA1,
                            BETA2,
                            EPSILON,
                            c1,
                            c2,
                            Double.POSITIVE_INFINITY);
                    AdamKernel.update(
                            net.biases[l],
                            0,
                            gb[l],
                            mb[l],
                            vb[l],
                            0,
                            gb[l].length,
                            learningRate,
                            BETA1,
                            BETA2,
                            EPSILON,
                            c1,
                            c2,
                            Double.POSITIVE_INFINITY);
                }
            }
        }
    }

    /** ∂loss/∂y: y − t (squared error) or softmax(y) − onehot(c) (cross-entropy). */
    static void outputDelta(double[] y, double[] target, int label, double[] out) {
        if (target != null) {
            for (int k = 0; k < y.length; k++) {
                out[k] = y[k] - target[k];
            }
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < y.length; k++) {
            out[k] = Math.exp(y[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < y.length; k++) {
            out[k] = out[k] / sum - (k == label ? 1.0 : 0.0);
        }
    }

    /** Backpropagates delta[L] through the layers, accumulating gradients. */
    private static void backward(
            ReluMlp net, double[][] a, double[][] delta, double[][] gw, double[][] gb) {
        for (int l = net.layers() - 1; l >= 0; l--) {
            int in = net.sizes[l];
            int out = net.sizes[l + 1];
            double[] w = net.weights[l];
            double[] d = delta[l + 1];
            for (int j = 0; j < out; j++) {
                double dj = d[j];
                if (dj == 0.0) {
                    continue;
                }
                gb[l][j] += dj;
                int row = j * in;
                for (int i = 0; i < in; i++) {
                    gw[l][row + i] += dj * a[l][i];
                }
            }
            if (l > 0) {
                double[] dp = delta[l];
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    if (a[l][i] > 0) { // ReLU' = 1 where the unit is active
                        for (int j = 0; j < out; j++) {
                            s += w[j * in + i] * d[j];
                        }
                    }
                    dp[i] = s;
                }
            }
        }
    }
}
