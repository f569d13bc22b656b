package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Read-only view of one mini-batch's forward pass, for {@link ObjectiveTerm#evaluate}: the stored
 * spikes and membranes of every spiking population, and the leaky readout. Indices: {@code pop} as
 * in {@link PopulationIndex}, {@code t} the network step (0 ≤ t &lt; {@link #steps()}), {@code b}
 * the sample within the batch, {@code j} the neuron.
 */
public interface Rollout {
    /** The batch (inputs and named targets). */
    Batch batch();

    /** Number of network steps T' (T, or fewer with a strided conv front-end). */
    int steps();

    /** Whether neuron j of population pop spiked at step t in sample b. */
    boolean spike(int pop, int t, int b, int j);

    /** Membrane v_t (after the step, before the next step's reset). */
    double membrane(int pop, int t, int b, int j);

    /** Leaky readout y_t[o] (LEAKY readouts only). */
    double readout(int t, int b, int o);
}
