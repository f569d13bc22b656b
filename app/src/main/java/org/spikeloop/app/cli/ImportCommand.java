package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeloop import}: bring recordings in other formats into XDF (docs/lsl-xdf.md). */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Convert recordings in other formats to XDF.",
        subcommands = {ImportEegCommand.class})
public final class ImportCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
