package org.spikeloop.learn.eprop;

/**
 * How output errors are broadcast to the recurrent neurons as learning signals L_j = Σ_k B_jk·err_k
 * (Bellec et al. 2020, Methods eq. (28) symmetric e-prop, eq. (29) random e-prop).
 */
public enum FeedbackMode {
    /** B = W_outᵀ, read from the current readout weights every step (symmetric e-prop). */
    SYMMETRIC,
    /**
     * B fixed at start-up, drawn N(0, 1/H) from {@link EpropConfig#feedbackSeed()} (random e-prop);
     * biologically plausible, slower to learn.
     */
    RANDOM,
    /**
     * B fixed and supplied by the caller at construction ({@link EpropReference#EpropReference(
     * org.spikeloop.snn.spec.NetworkSpec, org.spikeloop.snn.params.NetworkParams, EpropConfig,
     * double[])}), e.g. the feedback weights of a NEST {@code
     * eprop_learning_signal_connection_bsshslm_2020} for the NEST cross-check. Float64 reference
     * only.
     */
    GIVEN
}
