package org.spikeloop.app.cli;

import picocli.CommandLine.Option;

/**
 * {@code --duration}: how long a command that otherwise runs until stopped keeps running ({@code
 * serve}, {@code demo}, {@code sim}, {@code xdf record}).
 */
final class RunDuration {
    @Option(
            names = "--duration",
            paramLabel = "S",
            defaultValue = "0",
            description = "Seconds to run; 0 = until stopped (Ctrl-C). Default: ${DEFAULT-VALUE}.")
    double seconds;

    /**
     * The run length in seconds, 0 for until stopped.
     *
     * @throws IllegalArgumentException unless finite and >= 0
     */
    double seconds() {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--duration: must be >= 0 seconds, got " + seconds);
        }
        return seconds;
    }

    /** Whether a run started {@code elapsedS} ago should go on. */
    boolean running(double elapsedS) {
        return seconds == 0 || elapsedS < seconds;
    }

    /** " for 10.0 s" or " until Ctrl-C", for a start-up line. */
    String untilText() {
        return seconds > 0 ? " for " + seconds + " s" : " until Ctrl-C";
    }
}
