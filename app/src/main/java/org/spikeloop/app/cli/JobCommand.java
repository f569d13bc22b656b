package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spikeloop job}: training jobs on a running server, over its gRPC API (JobService) — the
 * server-side counterpart of {@code spikeloop train --xdf}, on the recordings the server made.
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = "Run training jobs on a running spikeloop server's recordings.",
        subcommands = {JobSubmitCommand.class})
public final class JobCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
