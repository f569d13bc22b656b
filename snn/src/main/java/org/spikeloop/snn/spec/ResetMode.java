package org.spikeloop.snn.spec;

/** What a spike does to the membrane one step later. */
public enum ResetMode {
    /**
     * v ← αv + I − z·(θ − δ): keeps the overshoot (default; the e-prop and PyTorch peers' choice).
     */
    SUBTRACT,
    /** v ← (1 − z)·αv + z·δ + I: forgets the overshoot. */
    ZERO
}
