package org.spikeloop.learn.bptt;

/**
 * Options of the surrogate-gradient BPTT engine.
 *
 * @param detachReset treat z_{t−1} in the reset term as a constant (snnTorch's {@code
 *     reset_mechanism} with detach, the e-prop reference code); θ and δ still get their gradient
 * @param stopRecurrentGradient stop the gradient through z_{t−1} in the recurrent (W_rec·z_{t−1})
 *     and reset paths, keeping it in the ALIF adaptation path: BPTT that e-prop computes exactly
 *     (Bellec et al. 2020, the reference code's {@code stop_z_gradients}); implies detachReset
 * @param threads worker threads (&ge; 1); the mini-batch is split into this many fixed contiguous
 *     slices, so results are bit-identical for a fixed thread count
 */
public record BpttOptions(boolean detachReset, boolean stopRecurrentGradient, int threads) {
    public BpttOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("options.threads must be >= 1, got " + threads);
        }
    }

    /** Exact BPTT, one thread per available processor. */
    public static BpttOptions defaults() {
        return new BpttOptions(false, false, Runtime.getRuntime().availableProcessors());
    }

    /** Whether the reset path carries no gradient to z_{t−1}. */
    public boolean resetDetached() {
        return detachReset || stopRecurrentGradient;
    }

    public BpttOptions withThreads(int n) {
        return new BpttOptions(detachReset, stopRecurrentGradient, n);
    }
}
