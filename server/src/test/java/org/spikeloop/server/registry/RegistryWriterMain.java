package org.spikeloop.server.registry;

import java.nio.file.Path;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.params.NetworkParams;

/**
 * Child process of {@link CheckpointRegistryCrashTest}: registers checkpoints (large enough that a
 * kill often lands inside a write), moves roles, writes job reports and applies retention in a loop
 * until killed. Arguments: registry directory, first seed.
 */
public final class RegistryWriterMain {
    /** Size of each job report it writes. */
    static final int REPORT_BYTES = 64 * 1024;

    private RegistryWriterMain() {}

    public static void main(String[] args) throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(Path.of(args[0]));
        long seed = Long.parseLong(args[1]);
        // One ~0.9 MB network, made distinct per iteration by one value: writes dominate the loop.
        Checkpoint base = RegistryFixtures.checkpoint(seed, 320);
        NetworkParams p = base.params();
        System.out.println("ready");
        System.out.flush();
        for (long i = 0; ; i++) {
            p.get("readout.bias").data()[0] = i;
            RegistryEntry e =
                    r.register(
                            Checkpoint.create(base.spec(), p, base.provenance()),
                            RegistryFixtures.lineage("s" + (i % 3)));
            r.setRole("s" + (i % 3), Role.values()[(int) (i % 3)], e.id());
            // A job's report, as a finishing job writes it right after registering.
            r.writeReport("job-" + i + ".report.json", new byte[REPORT_BYTES]);
            if (i % 4 == 3) {
                r.applyRetention(new RetentionPolicy(2));
            }
        }
    }
}
