package org.spikeloop.learn.eprop;

import org.spikeloop.snn.kernel.LayerState;

/**
 * The firing-rate regulariser's learning signal R_j = λ·(f̂_j − f*) (Bellec et al. 2020, Methods
 * eq. (38), with the trial average replaced by a running estimate; λ absorbs the 1/(T·dt)), as the
 * float learner uses it: f̂_j ← d·f̂_j + (1 − d)·z_j/dt with d = e^(−dt/τ), in Hz. R_j enters the
 * gradient as g_ji += R_j·e_ji beside the readout's L_j·ē_ji.
 *
 * <p>Single owner (the engine thread). Allocation: none after construction; {@link #signal(float[],
 * int)} writes into the caller's array.
 */
final class FiringRateRegularizer {
    private final int neurons;
    private final float decay;
    private final float gain;
    private final float lambda;
    private final float targetHz;
    private final float[] rateHz;

    /**
     * @param neurons H
     * @param dtMs the step dt (ms)
     * @param tauMs τ of the running rate estimate (ms)
     * @param lambda λ &gt; 0
     * @param targetHz f* (Hz)
     */
    FiringRateRegularizer(int neurons, double dtMs, double tauMs, double lambda, double targetHz) {
        this.neurons = neurons;
        double d = Math.exp(-dtMs / tauMs);
        this.decay = (float) d;
        this.gain = (float) ((1.0 - d) * 1000.0 / dtMs);
        this.lambda = (float) lambda;
        this.targetHz = (float) targetHz;
        this.rateHz = new float[neurons];
    }

    /**
     * Advances f̂ by one step.
     *
     * @param layer the layer's state after its step (its spikes z_t; not modified)
     */
    void observe(LayerState layer) {
        final float[] rate = rateHz;
        final float d = decay;
        final float k = gain;
        for (int j = 0; j < neurons; j++) {
            rate[j] = d * rate[j] + k * layer.z(j);
        }
    }

    /**
     * R_j = λ·(f̂_j − f*) for every neuron j.
     *
     * @param out receives R at {@code out[offset + j]} (modified)
     * @param offset where neuron 0's value goes
     */
    void signal(float[] out, int offset) {
        final float[] rate = rateHz;
        for (int j = 0; j < neurons; j++) {
            out[offset + j] = lambda * (rate[j] - targetHz);
        }
    }

    /** f̂_j in Hz. */
    float rateHz(int j) {
        return rateHz[j];
    }
}
