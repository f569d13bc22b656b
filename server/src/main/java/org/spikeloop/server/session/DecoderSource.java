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

    /**
     * Legacy: a checkpoint file name inside the server's checkpoint directory ({@link
     * CheckpointStore}); {@code outputs} 0 = any readout size.
     */
    record FromCheckpoint(String name, int outputs) implements DecoderSource {
        public FromCheckpoint(String name) {
            this(name, 0);
        }
    }

    /**
     * A checkpoint in the checkpoint registry by content id; it becomes the session's ACTIVE
     * checkpoint. {@code outputs} 0 = any readout size.
     */
    record FromRegistry(String id, int outputs) implements DecoderSource {
        public FromRegistry(String id) {
            this(id, 0);
        }
    }
}
