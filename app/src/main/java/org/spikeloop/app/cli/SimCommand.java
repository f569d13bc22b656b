package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeloop sim}: simulated rigs published as LSL outlets, one subcommand per rig. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description =
                "Publish a simulated rig over LSL (intracortical array or motor-imagery EEG).",
        subcommands = {SimIntracorticalCommand.class, SimEegCommand.class})
public final class SimCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
