package org.spikeloop.snn.spec;

/** How the network's last spiking layer is read out. */
public enum ReadoutType {
    /** Leaky integrator: y_t = κ·y_{t−1} + (1 − κ)·(W_out·z_t + b). For regression (kinematics). */
    LEAKY,
    /**
     * Spiking output neurons (non-recurrent, the readout's neuron model) whose spikes the caller
     * counts over a window: class logits for classification.
     */
    SPIKE_COUNT
}
