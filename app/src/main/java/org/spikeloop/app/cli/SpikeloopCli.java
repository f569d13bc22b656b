package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spikeloop} command line's root command; each subcommand is its own class ({@link
 * org.spikeloop.app.Main} runs it).
 */
@Command(
        name = "spikeloop",
        mixinStandardHelpOptions = true,
        version = "spikeloop 0.1.0",
        description = "Real-time BCI decoding with recurrent spiking networks.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            CheckpointCommand.class,
            XdfCommand.class,
            LslCommand.class,
            ReplayCommand.class,
            ImportCommand.class,
            ForwardCommand.class,
            BenchCommand.class,
            GradCommand.class,
            EpropCommand.class,
            TrainCommand.class,
            ServeCommand.class,
            SimCommand.class
        })
public final class SpikeloopCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
