package org.spikeloop.app.bench;

import picocli.CommandLine.Option;

/**
 * The load of the LSL streams a harness pushes ({@code bench ingest}, {@code bench e2e}): channels,
 * sample rate and the seconds measured.
 */
final class StreamLoad {
    @Option(
            names = "--channels",
            paramLabel = "N",
            defaultValue = "96",
            description = "Channels of each stream. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(
            names = "--rate-hz",
            paramLabel = "HZ",
            defaultValue = "1000",
            description = "Samples per second of each stream. Default: ${DEFAULT-VALUE}.")
    int rateHz;

    @Option(
            names = "--duration",
            paramLabel = "S",
            defaultValue = "10",
            description = "Seconds measured. Default: ${DEFAULT-VALUE}.")
    double seconds;

    /**
     * @throws IllegalArgumentException naming the first impossible value
     */
    void validate() {
        NetworkSize.requirePositive("--channels", channels);
        NetworkSize.requirePositive("--rate-hz", rateHz);
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--duration: must be > 0 seconds, got " + seconds);
        }
    }
}
