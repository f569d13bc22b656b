package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeloop eprop}: offline runs of the e-prop learner (see docs/eprop.md). */
@Command(
        name = "eprop",
        mixinStandardHelpOptions = true,
        description = "Run the e-prop online learner offline (e.g. the NEST cross-check).",
        subcommands = {EpropRunCommand.class})
public final class EpropCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
