package org.spikeloop.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The checkpoint a command writes and the provenance it records ({@code checkpoint init} and {@code
 * checkpoint import}).
 */
final class CheckpointOutput {
    @Option(
            names = "--out",
            required = true,
            paramLabel = "CK",
            description = "Checkpoint to write.")
    Path out;

    @Option(
            names = "--creator",
            paramLabel = "NAME",
            description = "Recorded as provenance creator. Default: the OS user.")
    String creator;

    @Option(
            names = "--notes",
            paramLabel = "TEXT",
            defaultValue = "",
            description = "Free-form provenance notes. Default: none.")
    String notes;

    /** {@code --creator}, or the OS user. */
    String creator() {
        if (creator != null) {
            return creator;
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
