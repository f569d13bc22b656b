package org.spikeloop.server.session;

import org.spikeloop.snn.spec.NeuronModel;

/** Where a session's decoder comes from: a fresh architecture or a checkpoint. */
public sealed interface DecoderSource {
    /**
     * A fresh initialisation: inputs = channels → one recurrent layer → leaky readout, dt from the
     * sample rate.
     */
    record Architecture(int hidden, int outputs, NeuronModel neuron, long seed)
            implements DecoderSource {}

    /** A checkpoint file name inside the server's checkpoint directory. */
    record FromCheckpoint(String name) implements DecoderSource {}
}
