package org.spikeloop.app.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every {@code spikeloop sim} rig shares: stream names, seed and run length. */
final class SimRunOptions {
    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            defaultValue = "spikeloop-sim",
            description =
                    "Stream name prefix: the rig's streams are PREFIX-<kind>. Default:"
                            + " ${DEFAULT-VALUE}.")
    String prefix;

    @Option(names = "--seed", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin RunDuration duration;

    /**
     * @throws IllegalArgumentException naming the option when the run length or push period is
     *     impossible
     */
    void validate(int chunkMs) {
        duration.seconds();
        if (chunkMs < 1) {
            throw new IllegalArgumentException("--chunk-ms: must be >= 1, got " + chunkMs);
        }
    }
}
