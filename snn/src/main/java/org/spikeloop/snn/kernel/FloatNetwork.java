package org.spikeloop.snn.kernel;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * The production float32 inference kernel: the same forward equations as {@link ReferenceNetwork}
 * (Bellec et al. 2020, Methods eqs. (1)–(4), (21); contract in {@code NeuronSpec}), stepped once
 * per input frame, batch 1.
 *
 * <p>Sparsity: every weight matrix is held transposed, [in][out] row-major, so the current from a
 * binary spike vector is the bias plus the sum of the rows of the neurons that spiked — each a
 * contiguous, vectorisable add over the receiving population. Populations gather their spiking
 * indices while deciding spikes, so no step scans a full spike vector again. Input frames take the
 * same row-sum path over their non-zero channels; a frame with more than half of its channels
 * non-zero (dense features such as EEG band powers) takes a dense loop over every row instead,
 * which gives bit-identical results because skipped rows only add exact zeros.
 *
 * <p>Threading: not thread-safe; one owner thread (the decoder engine) calls {@link #step}, {@link
 * #reset}, {@link #loadParams} and reads the {@link LayerState} views. Allocation: {@link #step}
 * and {@link #reset} allocate nothing (all arrays are created in the constructor); {@link
 * #loadParams} and {@link #exportParams} are control-plane calls and may allocate.
 */
public final class FloatNetwork {
    private final NetworkSpec spec;
    private final int inputs;
    private final int outputs;
    private final int[] inputActive;

    // Conv front-end (null/unused without one).
    private final FloatPopulation conv;
    private final int convChannels;
    private final int convKernel;
    private final int convStride;
    private final int convPadding;
    private final float[] convWeightT; // [K][C_in][C_out]: tap k, channel i → row of C_out
    private final float[] convFrames; // ring of K frames, frame f at slot f mod K
    private final float[] convCurrent;
    private long framesSeen;

    private final FloatPopulation[] layers;
    private final float[][] inputWeightsT; // [in_l][H_l]
    private final float[][]
            recurrentWeightsT; // [H_l][H_l] (row i = weights from neuron i); or null
    private final float[][] currents;

    private final float[] readoutWeightT; // [H_last][O]
    private final float[] readoutBias;
    private final float[] readoutCurrent;
    private final float[] y;
    private final float kappa;
    private final float oneMinusKappa;
    private final FloatPopulation outputNeurons; // SPIKE_COUNT only

    private boolean denseProjections;

    /**
     * @param spec the architecture (not modified)
     * @param params initial parameters matching {@code spec} (copied to float32, not modified)
     * @throws IllegalArgumentException naming the parameter if one is missing, mis-shaped or
     *     non-finite
     */
    public FloatNetwork(NetworkSpec spec, NetworkParams params) {
        this.spec = spec;
        inputs = spec.inputs();
        outputs = spec.outputs();
        inputActive = new int[inputs];
        double dt = spec.dtMs();
        ConvSpec c = spec.conv();
        if (c != null) {
            convChannels = c.outChannels();
            convKernel = c.kernelSize();
            convStride = c.stride();
            convPadding = c.padding();
            conv = new FloatPopulation(c.neuron(), dt, convChannels);
            convWeightT = new float[convKernel * inputs * convChannels];
            convFrames = new float[convKernel * inputs];
            convCurrent = new float[convChannels];
        } else {
            convChannels = 0;
            convKernel = 0;
            convStride = 1;
            convPadding = 0;
            conv = null;
            convWeightT = null;
            convFrames = null;
            convCurrent = null;
        }
        int n = spec.layers().size();
        layers = new FloatPopulation[n];
        inputWeightsT = new float[n][];
        recurrentWeightsT = new float[n][];
        currents = new float[n][];
        for (int l = 0; l < n; l++) {
            LayerSpec layer = spec.layers().get(l);
            int h = layer.size();
            layers[l] = new FloatPopulation(layer.neuron(), dt, h);
            inputWeightsT[l] = new float[spec.layerInputs(l) * h];
            recurrentWeightsT[l] = layer.recurrent() ? new float[h * h] : null;
            currents[l] = new float[h];
        }
        readoutWeightT = new float[spec.lastLayerSize() * outputs];
        readoutBias = new float[outputs];
        readoutCurrent = new float[outputs];
        y = new float[outputs];
        double k = spec.readout().kappa(dt);
        kappa = (float) k;
        oneMinusKappa = (float) (1.0 - k);
        outputNeurons =
                spec.readout().type() == ReadoutType.SPIKE_COUNT
                        ? new FloatPopulation(spec.readout().neuron(), dt, outputs)
                        : null;
        loadParams(params);
        reset();
    }

    /** The architecture this network runs. */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Sets all state (v, a, d, y, z_{−1}, refractory counters, conv frames) to zero. No allocation.
     */
    public void reset() {
        if (conv != null) {
            conv.reset();
            Arrays.fill(convFrames, 0f);
        }
        framesSeen = 0;
        for (FloatPopulation layer : layers) {
            layer.reset();
        }
        Arrays.fill(y, 0f);
        if (outputNeurons != null) {
            outputNeurons.reset();
        }
    }

    /**
     * Advances the network by one input frame. Allocation-free; safe to call every millisecond
     * forever.
     *
     * @param x the input frame, length {@code spec.inputs()} (not modified); binary spikes or dense
     *     features
     * @param out receives the readout (LEAKY: y_t; SPIKE_COUNT: output spikes 0/1), length {@code
     *     spec.outputs()}; modified only when this method returns true
     * @return false when a strided conv front-end emitted no output for this frame (no layer
     *     stepped), true otherwise
     * @throws IllegalArgumentException on a wrong array length, or naming the channel of a NaN or
     *     infinite input value; the state is then unchanged
     */
    public boolean step(float[] x, float[] out) {
        if (x.length != inputs || out.length != outputs) {
            InputChecks.requireLengths(x.length, out.length, inputs, outputs);
        }
        // One pass validates the frame and gathers its non-zero channels (NaN != 0 is true).
        final int[] idx = inputActive;
        int nonZero = 0;
        for (int i = 0; i < x.length; i++) {
            float xi = x[i];
            if (xi != 0f) {
                if (!Float.isFinite(xi)) {
                    throw InputChecks.nonFinite(i, xi);
                }
                idx[nonZero++] = i;
            }
        }

        FloatPopulation below = null;
        if (conv != null) {
            if (!convStep(x)) {
                return false;
            }
            below = conv;
        }
        final FloatPopulation[] ls = layers;
        for (int l = 0; l < ls.length; l++) {
            FloatPopulation pop = ls[l];
            float[] current = currents[l];
            int h = current.length;
            System.arraycopy(pop.bias, 0, current, 0, h);
            if (below == null) {
                addInputRows(inputWeightsT[l], h, x, idx, nonZero, current);
            } else {
                addSpikeRows(inputWeightsT[l], h, below, current);
            }
            float[] rec = recurrentWeightsT[l];
            if (rec != null) {
                addSpikeRows(rec, h, pop, current); // pop still holds z_{t−1}
            }
            pop.integrate(current);
            below = pop;
        }
        readout(below, out);
        return true;
    }

    /** Pushes a frame into the conv window and, when the front-end emits, steps its neurons. */
    private boolean convStep(float[] x) {
        final int nIn = inputs;
        final int kernel = convKernel;
        long t = framesSeen++;
        System.arraycopy(x, 0, convFrames, (int) (t % kernel) * nIn, nIn);
        long q = t + convPadding - (kernel - 1);
        if (q < 0 || q % convStride != 0) {
            return false;
        }
        final float[] c = convCurrent;
        final int channels = convChannels;
        final float[] frames = convFrames;
        final float[] w = convWeightT;
        System.arraycopy(conv.bias, 0, c, 0, channels);
        for (int k = 0; k < kernel; k++) {
            long f = t - kernel + 1 + k; // the frame tap k sees
            if (f < 0) {
                continue; // before the first frame: zero
            }
            int base = (int) (f % kernel) * nIn;
            for (int i = 0; i < nIn; i++) {
                float xv = frames[base + i];
                if (xv != 0f) {
                    addScaledRow(xv, w, (k * nIn + i) * channels, c, channels);
                }
            }
        }
        conv.integrate(c);
        return true;
    }

    /** acc += Σ_i x_i·W^T[i, :] over the non-zero channels (or all, for dense frames). */
    private void addInputRows(float[] wT, int h, float[] x, int[] idx, int nonZero, float[] acc) {
        if (denseProjections || 2 * nonZero > x.length) {
            for (int i = 0; i < x.length; i++) {
                addScaledRow(x[i], wT, i * h, acc, h);
            }
        } else {
            for (int k = 0; k < nonZero; k++) {
                int i = idx[k];
                addScaledRow(x[i], wT, i * h, acc, h);
            }
        }
    }

    /** acc += Σ_{i: z_i = 1} W^T[i, :] (binary spikes: rows of the spiking neurons only). */
    private void addSpikeRows(float[] wT, int h, FloatPopulation source, float[] acc) {
        if (denseProjections) {
            float[] z = source.spikeVector();
            for (int i = 0; i < z.length; i++) {
                addScaledRow(z[i], wT, i * h, acc, h);
            }
            return;
        }
        int[] idx = source.activeIndices();
        int count = source.activeCount();
        for (int k = 0; k < count; k++) {
            addRow(wT, idx[k] * h, acc, h);
        }
    }

    private static void addRow(float[] w, int offset, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += w[offset + j];
        }
    }

    private static void addScaledRow(float s, float[] w, int offset, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += s * w[offset + j];
        }
    }

    private void readout(FloatPopulation last, float[] out) {
        final int o = outputs;
        final float[] rc = readoutCurrent;
        System.arraycopy(readoutBias, 0, rc, 0, o);
        if (denseProjections) {
            float[] z = last.spikeVector();
            for (int j = 0; j < z.length; j++) {
                addScaledRow(z[j], readoutWeightT, j * o, rc, o);
            }
        } else {
            int[] idx = last.activeIndices();
            int count = last.activeCount();
            for (int k = 0; k < count; k++) {
                addRow(readoutWeightT, idx[k] * o, rc, o);
            }
        }
        if (outputNeurons == null) {
            final float[] yy = y;
            final float k = kappa;
            final float g = oneMinusKappa;
            for (int i = 0; i < o; i++) {
                yy[i] = k * yy[i] + g * rc[i];
            }
            System.arraycopy(yy, 0, out, 0, o);
        } else {
            outputNeurons.integrate(rc);
            System.arraycopy(outputNeurons.spikeVector(), 0, out, 0, o);
        }
    }

    /**
     * Test hook: when true every projection takes the dense loop over all rows (scaled by the input
     * or spike value) instead of the gathered active rows. Results are identical.
     */
    void useDenseProjections(boolean dense) {
        denseProjections = dense;
    }

    // ---- state views ----

    /** Number of spiking layers. */
    public int layerCount() {
        return layers.length;
    }

    /** Read-only view of layer {@code l}'s state (valid for this network's lifetime). */
    public LayerState layer(int l) {
        return layers[l];
    }

    /** Whether the network has a conv front-end. */
    public boolean hasConv() {
        return conv != null;
    }

    /** Read-only view of the conv neurons. @throws IllegalStateException without a conv */
    public LayerState convLayer() {
        if (conv == null) {
            throw new IllegalStateException("this network has no conv front-end");
        }
        return conv;
    }

    /** Read-only view of the spike-count output neurons. @throws IllegalStateException if LEAKY */
    public LayerState outputLayer() {
        if (outputNeurons == null) {
            throw new IllegalStateException("the readout is LEAKY; it has no output neurons");
        }
        return outputNeurons;
    }

    /** The leaky readout's y_t for output {@code o} (0 for SPIKE_COUNT readouts). */
    public float readoutValue(int o) {
        return y[o];
    }

    /**
     * The live float32 array the step reads for one parameter of layer 0 or the readout, for an
     * in-place online learner (e-prop) running on the engine thread between steps. Layouts: {@code
     * layer<l>.w_in} transposed [in_l][H_l] (row i = weights from input i), {@code layer<l>.w_rec}
     * transposed [H_l][H_l] (row i = weights from neuron i), {@code layer<l>.bias} [H_l], {@code
     * readout.w_out} transposed [H_last][O], {@code readout.bias} [O]. Threading: engine thread
     * only; writes take effect at the next step. Allocation: none. Thresholds and reset offsets are
     * not exposed (their derived constants would go stale).
     *
     * @param name a parameter name (ParameterNames)
     * @throws IllegalArgumentException for any other name
     */
    public float[] liveParameter(String name) {
        for (int l = 0; l < layers.length; l++) {
            if (name.equals(inputWeights(l))) {
                return inputWeightsT[l];
            }
            if (name.equals(recurrentWeights(l)) && recurrentWeightsT[l] != null) {
                return recurrentWeightsT[l];
            }
            if (name.equals(bias(l))) {
                return layers[l].bias;
            }
        }
        if (name.equals(READOUT_WEIGHT)) {
            return readoutWeightT;
        }
        if (name.equals(READOUT_BIAS)) {
            return readoutBias;
        }
        throw new IllegalArgumentException(
                "parameter " + name + " has no live float32 array (weights and biases only)");
    }

    // ---- control plane: weights in and out ----

    /**
     * Replaces every parameter with {@code params} (converted to float32, transposed into the
     * kernel's layouts). The network state (v, a, y, ...) is kept. Control plane: allocates a
     * validation map, so never call it per step.
     *
     * @param params parameters matching {@link #spec()} (not modified)
     * @throws IllegalArgumentException naming the parameter if one is missing, mis-shaped, not part
     *     of the architecture, non-finite, or a recurrent diagonal is non-zero; nothing is changed
     *     then
     */
    public void loadParams(NetworkParams params) {
        NetworkParams p = NetworkParams.of(spec, params.asMap()); // validates, throws first
        if (conv != null) {
            double[] w = p.get(CONV_WEIGHT).data(); // [C_out, C_in, K]
            for (int o = 0; o < convChannels; o++) {
                for (int i = 0; i < inputs; i++) {
                    for (int k = 0; k < convKernel; k++) {
                        convWeightT[(k * inputs + i) * convChannels + o] =
                                (float) w[(o * inputs + i) * convKernel + k];
                    }
                }
            }
            loadNeurons(conv, p, CONV_BIAS, CONV_THRESHOLD, CONV_RESET_OFFSET);
        }
        for (int l = 0; l < layers.length; l++) {
            int h = layers[l].size();
            transpose(p.get(inputWeights(l)).data(), h, spec.layerInputs(l), inputWeightsT[l]);
            if (recurrentWeightsT[l] != null) {
                transpose(p.get(recurrentWeights(l)).data(), h, h, recurrentWeightsT[l]);
            }
            loadNeurons(layers[l], p, bias(l), threshold(l), resetOffset(l));
        }
        transpose(p.get(READOUT_WEIGHT).data(), outputs, spec.lastLayerSize(), readoutWeightT);
        copy(p.get(READOUT_BIAS).data(), readoutBias);
        if (outputNeurons != null) {
            copy(p.get(READOUT_THRESHOLD).data(), outputNeurons.theta);
            copy(p.get(READOUT_RESET_OFFSET).data(), outputNeurons.delta);
            outputNeurons.parametersChanged(); // its bias stays 0: readout.bias enters the current
        }
    }

    /**
     * The current weights as new float64 parameters (control plane; allocates).
     *
     * @return parameters that {@link #loadParams} (or a {@link ReferenceNetwork}) accepts
     */
    public NetworkParams exportParams() {
        Map<String, int[]> shapes = NetworkParams.expectedShapes(spec);
        Map<String, Tensor> named = new LinkedHashMap<>();
        if (conv != null) {
            double[] w = new double[convWeightT.length];
            for (int o = 0; o < convChannels; o++) {
                for (int i = 0; i < inputs; i++) {
                    for (int k = 0; k < convKernel; k++) {
                        w[(o * inputs + i) * convKernel + k] =
                                convWeightT[(k * inputs + i) * convChannels + o];
                    }
                }
            }
            named.put(CONV_WEIGHT, new Tensor(shapes.get(CONV_WEIGHT), w));
            named.put(CONV_BIAS, vector(conv.bias));
            named.put(CONV_THRESHOLD, vector(conv.theta));
            named.put(CONV_RESET_OFFSET, vector(conv.delta));
        }
        for (int l = 0; l < layers.length; l++) {
            int h = layers[l].size();
            int in = spec.layerInputs(l);
            named.put(inputWeights(l), untranspose(inputWeightsT[l], h, in));
            if (recurrentWeightsT[l] != null) {
                named.put(recurrentWeights(l), untranspose(recurrentWeightsT[l], h, h));
            }
            named.put(bias(l), vector(layers[l].bias));
            named.put(threshold(l), vector(layers[l].theta));
            named.put(resetOffset(l), vector(layers[l].delta));
        }
        named.put(READOUT_WEIGHT, untranspose(readoutWeightT, outputs, spec.lastLayerSize()));
        named.put(READOUT_BIAS, vector(readoutBias));
        if (outputNeurons != null) {
            named.put(READOUT_THRESHOLD, vector(outputNeurons.theta));
            named.put(READOUT_RESET_OFFSET, vector(outputNeurons.delta));
        }
        return NetworkParams.of(spec, named);
    }

    private static void loadNeurons(
            FloatPopulation pop, NetworkParams p, String bias, String theta, String delta) {
        copy(p.get(bias).data(), pop.bias);
        copy(p.get(theta).data(), pop.theta);
        copy(p.get(delta).data(), pop.delta);
        pop.parametersChanged();
    }

    /** dst[c][r] = src[r][c] for a rows × cols row-major src. */
    private static void transpose(double[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = (float) src[r * cols + c];
            }
        }
    }

    /** The rows × cols tensor whose transpose (cols × rows) is {@code t}. */
    private static Tensor untranspose(float[] t, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                d[r * cols + c] = t[c * rows + r];
            }
        }
        return new Tensor(new int[] {rows, cols}, d);
    }

    private static void copy(double[] src, float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) src[i];
        }
    }

    private static Tensor vector(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return new Tensor(new int[] {f.length}, d);
    }
}
