package org.spikeloop.learn.loss;

/**
 * Where an {@link ObjectiveTerm} adds its direct partial derivatives during the backward pass, one
 * (step, sample) at a time. Single-threaded per instance (each worker thread owns one); the adders
 * accumulate (+=).
 */
public interface GradientSink {
    /** The network step t being back-propagated. */
    int step();

    /** The global index of the sample (row of the batch). */
    int sample();

    /** Adds g to ∂L/∂z_t[j] of population pop. */
    void addSpike(int pop, int j, double g);

    /** Adds g to ∂L/∂v_t[j] of population pop (the membrane's direct partial). */
    void addMembrane(int pop, int j, double g);

    /** Adds g to ∂L/∂y_t[o] of the leaky readout. */
    void addReadout(int o, double g);
}
