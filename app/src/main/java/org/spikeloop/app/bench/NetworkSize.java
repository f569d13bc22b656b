package org.spikeloop.app.bench;

import picocli.CommandLine.Option;

/**
 * The benchmarked network's size ({@code bench step}, {@code bench train}): the peer's 96→256→2.
 */
final class NetworkSize {
    @Option(
            names = "--inputs",
            paramLabel = "N",
            defaultValue = "96",
            description = "Network inputs. Default: ${DEFAULT-VALUE}.")
    int inputs;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "256",
            description = "Hidden (recurrent) neurons. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(
            names = "--outputs",
            paramLabel = "N",
            defaultValue = "2",
            description = "Readout outputs. Default: ${DEFAULT-VALUE}.")
    int outputs;

    /**
     * @throws IllegalArgumentException naming the first size below 1
     */
    void validate() {
        requirePositive("--inputs", inputs);
        requirePositive("--hidden", hidden);
        requirePositive("--outputs", outputs);
    }

    static void requirePositive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + ": must be >= 1, got " + value);
        }
    }
}
