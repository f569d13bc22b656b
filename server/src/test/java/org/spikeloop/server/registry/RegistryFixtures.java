package org.spikeloop.server.registry;

import java.time.Instant;
import java.util.List;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** Small seeded checkpoints for registry tests. */
final class RegistryFixtures {
    private RegistryFixtures() {}

    static NetworkSpec spec(int hidden) {
        return new NetworkSpec(
                1.0,
                4,
                null,
                List.of(new LayerSpec(hidden, true, NeuronSpec.lif())),
                ReadoutSpec.leaky(2));
    }

    /** A distinct checkpoint per seed (content ids differ). */
    static Checkpoint checkpoint(long seed, int hidden) {
        NetworkSpec spec = spec(hidden);
        try {
            return Checkpoint.create(
                    spec,
                    Initializer.initialise(spec, InitSpec.seeded(seed)),
                    new Provenance(Instant.parse("2026-01-01T00:00:00Z"), "tester", null, "", ""));
        } catch (CheckpointException e) {
            throw new IllegalStateException(e);
        }
    }

    static Checkpoint checkpoint(long seed) {
        return checkpoint(seed, 8);
    }

    static Lineage lineage(String session) {
        return new Lineage(session, "job", null, "job-1", DataRange.none(), "tester");
    }
}
