package org.spikeloop.app.cli;

import picocli.CommandLine.Option;

/** The options every {@code spikeloop sim} rig shares: stream names, seed and run length. */
final class SimRunOptions {
    @Option(names = "--name", defaultValue = "spikeloop-sim", description = "Stream name prefix.")
    String name;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default 1).")
    long seed;

    @Option(
            names = "--duration",
            defaultValue = "0",
            description = "Seconds to run; 0 = until Ctrl-C.")
    double durationS;

    /**
     * @throws IllegalArgumentException naming the option when the run length or push period is
     *     impossible
     */
    void validate(int chunkMs) {
        if (chunkMs < 1 || !(durationS >= 0)) {
            throw new IllegalArgumentException("--chunk-ms must be >= 1 and --duration >= 0");
        }
    }

    /** Whether a run started {@code elapsedS} ago should publish another chunk. */
    boolean running(double elapsedS) {
        return durationS == 0 || elapsedS < durationS;
    }

    String untilText() {
        return durationS > 0 ? " for " + durationS + " s" : " until Ctrl-C";
    }
}
