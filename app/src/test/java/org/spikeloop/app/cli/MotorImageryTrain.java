package org.spikeloop.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spikeloop.server.jobs.MotorImageryRecordings;

/**
 * {@code spikeloop train} in process on a simulated motor-imagery XDF recording (written by {@link
 * MotorImageryRecordings}: its EEG stream as the inputs, its marker stream as the labels), the way
 * the classification tests call it.
 */
final class MotorImageryTrain {
    private MotorImageryTrain() {}

    /**
     * @param config the job config file
     * @param more further arguments, e.g. {@code --session s2}
     */
    static CliRun run(Path recording, Path registry, String config, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--xdf",
                                recording.toString(),
                                "--inputs-stream",
                                MotorImageryRecordings.EEG,
                                "--labels-stream",
                                MotorImageryRecordings.MARKERS,
                                "--registry",
                                registry.toString(),
                                "--config",
                                config));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }
}
