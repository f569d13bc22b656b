package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spikeloop checkpoint}: create, inspect and convert checkpoints (see docs/checkpoints.md).
 */
@Command(
        name = "checkpoint",
        mixinStandardHelpOptions = true,
        description = "Create, inspect and convert checkpoints (NumPy .npz interchange).",
        subcommands = {
            CheckpointInitCommand.class,
            CheckpointImportCommand.class,
            CheckpointExportCommand.class,
            CheckpointInspectCommand.class
        })
public final class CheckpointCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
