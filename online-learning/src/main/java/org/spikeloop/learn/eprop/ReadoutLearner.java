package org.spikeloop.learn.eprop;

import java.util.Arrays;
import org.spikeloop.learn.optim.AdamKernel;
import org.spikeloop.snn.kernel.LayerState;

/**
 * The readout's part of e-prop in the float learner (Bellec et al. 2020, Methods): the output error
 * err_k and the step's loss ({@link ReadoutError}, eqs. (26)–(27)), the learning signal L_j = Σ_k
 * B_jk·err_k broadcast to the layer (eq. (28) with symmetric feedback B = W_outᵀ, eq. (29) with a
 * fixed random B), the readout's own gradients g_kj += err_k·z̄_j and g_k += err_k·b̄ with the
 * κ-filtered spikes z̄_t = κ·z̄_{t−1} + c·z_t and b̄_t = κ·b̄_{t−1} + c, and the readout's update:
 * SGD or {@link AdamKernel}'s Adam step, each |Δw| clipped to {@code maxWeightChange}, w_out's norm
 * scaled back to {@code maxWeightNorm}, and the whole update skipped (and counted) when a gradient
 * is non-finite. The readout is small (H·O), so its update is applied at once when an update falls
 * due.
 *
 * <p>Single owner (the engine thread). Allocation: none after construction; {@link #learningSignal}
 * writes L into the caller's array.
 */
final class ReadoutLearner {
    private final int neurons;
    private final int outputs;
    private final ReadoutLoss loss;
    private final float kappa;
    private final float filterGain;
    private final float readoutScale;
    private final float[] weightsT; // live W_outᵀ [H][O]
    private final float[] bias; // live [O]
    private final float[] randomFeedback; // B [O][H], or null for B = W_outᵀ
    private final boolean adam;
    private final double lrWeights;
    private final double lrBias;
    private final float maxChange;
    private final double maxWeightNorm;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[] zBar;
    private float biasBar;
    private final float[] err;
    private final float[] yHat;
    private final float[] gradW; // [H][O]
    private final float[] gradB; // [O]
    private final float[] adamMW;
    private final float[] adamSW;
    private final float[] adamMB;
    private final float[] adamSB;
    private double lossSum;
    private long learnSteps;
    private long nonFiniteEvents;

    /**
     * @param weightsT the network's live W_outᵀ [H][O] (modified by {@link #update})
     * @param bias the network's live readout bias [O] (modified by {@link #update})
     * @param randomFeedback a fixed B [O][H] (not modified), or null for symmetric feedback
     * @param neurons H
     * @param kappa κ = e^(−dt/τ_out)
     * @param filterGain c, the κ filter's input factor (1 − κ, or 1 in NEST-compatible mode)
     * @param readoutScale ŷ = scale·y (1, or 1/(1 − κ) in NEST-compatible mode)
     * @param config loss, readout rates, optimiser and guards
     */
    ReadoutLearner(
            float[] weightsT,
            float[] bias,
            float[] randomFeedback,
            int neurons,
            float kappa,
            float filterGain,
            float readoutScale,
            EpropConfig config) {
        this.neurons = neurons;
        this.outputs = bias.length;
        this.loss = config.loss();
        this.kappa = kappa;
        this.filterGain = filterGain;
        this.readoutScale = readoutScale;
        this.weightsT = weightsT;
        this.bias = bias;
        this.randomFeedback = randomFeedback;
        this.adam = config.optimizer() == OptimizerKind.ADAM;
        this.lrWeights = config.lrReadout();
        this.lrBias = config.lrReadoutBias();
        this.maxChange = (float) Math.min(config.maxWeightChange(), Float.MAX_VALUE);
        this.maxWeightNorm = config.maxWeightNorm();
        this.beta1 = (float) config.adamBeta1();
        this.beta2 = (float) config.adamBeta2();
        this.epsilon = (float) config.adamEpsilon();
        zBar = new float[neurons];
        err = new float[outputs];
        yHat = new float[outputs];
        gradW = new float[neurons * outputs];
        gradB = new float[outputs];
        adamMW = adam ? new float[neurons * outputs] : null;
        adamSW = adam ? new float[neurons * outputs] : null;
        adamMB = adam ? new float[outputs] : null;
        adamSB = adam ? new float[outputs] : null;
    }

    /**
     * Advances z̄ and b̄ by one step.
     *
     * @param layer the layer's state after its step (its spikes z_t; not modified)
     */
    void filterTraces(LayerState layer) {
        final float k = kappa;
        final float cc = filterGain;
        final float[] zb = zBar;
        for (int j = 0; j < neurons; j++) {
            zb[j] = k * zb[j] + cc * layer.z(j);
        }
        biasBar = k * biasBar + cc;
    }

    /**
     * The step's error, loss, learning signal and readout gradients.
     *
     * @param y the readout y_t (not modified)
     * @param target y*_t (not modified)
     * @param signal receives L_j [H] (modified; untouched when false is returned)
     * @return false (the step does not learn, the event is counted) if the error is non-finite
     */
    boolean learningSignal(float[] y, float[] target, float[] signal) {
        final int o = outputs;
        final int h = neurons;
        final float[] yh = yHat;
        System.arraycopy(y, 0, yh, 0, o);
        double stepLoss = ReadoutError.compute(loss, yh, readoutScale, target, err);
        if (!Double.isFinite(stepLoss)) {
            nonFiniteEvents++;
            return false;
        }
        lossSum += stepLoss;
        learnSteps++;
        final float[] e = err;
        final float[] zb = zBar;
        final float[] go = gradW;
        final float[] b = randomFeedback;
        final float[] w = weightsT;
        for (int j = 0; j < h; j++) {
            float l = 0f;
            for (int k = 0; k < o; k++) {
                float bjk = b != null ? b[k * h + j] : w[j * o + k];
                l += bjk * e[k];
                go[j * o + k] += e[k] * zb[j];
            }
            signal[j] = l;
        }
        for (int k = 0; k < o; k++) {
            gradB[k] += e[k] * biasBar;
        }
        return true;
    }

    /**
     * Applies and zeroes the readout's gradients (skipped, and counted, if any is non-finite).
     *
     * @param scale the learning-rate scale latched for this update
     * @param c1 Adam's 1 − β₁ᵗ for this update (unused with SGD)
     * @param c2 Adam's 1 − β₂ᵗ for this update (unused with SGD)
     */
    void update(double scale, double c1, double c2) {
        final int n = neurons * outputs;
        final float lr = (float) (scale * lrWeights);
        final float lrB = (float) (scale * lrBias);
        final float maxStep = maxChange;
        boolean finite = true;
        for (int i = 0; i < n && finite; i++) {
            finite = Float.isFinite(gradW[i]);
        }
        for (int k = 0; k < outputs && finite; k++) {
            finite = Float.isFinite(gradB[k]);
        }
        if (finite) {
            if (adam) {
                final float fc1 = (float) c1;
                final float fc2 = (float) c2;
                AdamKernel.update(
                        weightsT, 0, gradW, adamMW, adamSW, 0, n, lr, beta1, beta2, epsilon, fc1,
                        fc2, maxStep);
                AdamKernel.update(
                        bias, 0, gradB, adamMB, adamSB, 0, outputs, lrB, beta1, beta2, epsilon, fc1,
                        fc2, maxStep);
            } else {
                for (int i = 0; i < n; i++) {
                    weightsT[i] += Math.max(-maxStep, Math.min(maxStep, -lr * gradW[i]));
                }
                for (int k = 0; k < outputs; k++) {
                    bias[k] += Math.max(-maxStep, Math.min(maxStep, -lrB * gradB[k]));
                }
            }
            double sq = 0.0;
            for (int i = 0; i < n; i++) {
                sq += weightsT[i] * weightsT[i];
            }
            double norm = Math.sqrt(sq);
            if (norm > maxWeightNorm) {
                float f = (float) (maxWeightNorm / norm);
                for (int i = 0; i < n; i++) {
                    weightsT[i] *= f;
                }
            }
        } else {
            nonFiniteEvents++;
        }
        Arrays.fill(gradW, 0f);
        Arrays.fill(gradB, 0f);
    }

    /**
     * Adds δ to the live readout bias.
     *
     * @param delta one finite value per output (not modified)
     * @throws IllegalArgumentException for a wrong length or a non-finite value (bias unchanged)
     */
    void shiftBias(double[] delta) {
        if (delta.length != outputs) {
            throw new IllegalArgumentException(
                    "bias shift has " + delta.length + " values, the readout has " + outputs);
        }
        for (int k = 0; k < outputs; k++) {
            if (!Double.isFinite(delta[k]) || !Float.isFinite((float) (bias[k] + delta[k]))) {
                throw new IllegalArgumentException(
                        "bias shift of output " + k + " must be finite, got " + delta[k]);
            }
        }
        for (int k = 0; k < outputs; k++) {
            bias[k] = (float) (bias[k] + delta[k]);
        }
    }

    /** Zeroes z̄ and b̄ (the accumulated gradients are kept). */
    void resetTraces() {
        Arrays.fill(zBar, 0f);
        biasBar = 0f;
    }

    /** The accumulated gradient of W_out in [O][H] (ParameterNames) layout. Allocates. */
    double[] weightGradient() {
        double[] r = new double[outputs * neurons];
        for (int j = 0; j < neurons; j++) {
            for (int k = 0; k < outputs; k++) {
                r[k * neurons + j] = gradW[j * outputs + k];
            }
        }
        return r;
    }

    /** The accumulated gradient of the readout bias [O]. Allocates. */
    double[] biasGradient() {
        double[] r = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            r[k] = gradB[k];
        }
        return r;
    }

    /** Loss summed over learning steps since construction or {@link #resetLoss()}. */
    double loss() {
        return lossSum;
    }

    /** Learning steps since construction or {@link #resetLoss()}. */
    long learnSteps() {
        return learnSteps;
    }

    void resetLoss() {
        lossSum = 0.0;
        learnSteps = 0;
    }

    /** Steps whose error was non-finite plus readout updates skipped for a non-finite gradient. */
    long nonFiniteEvents() {
        return nonFiniteEvents;
    }

    /** z̄_j. */
    float filteredSpikes(int j) {
        return zBar[j];
    }
}
