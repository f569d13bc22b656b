package org.spikeloop.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code spikeloop} command line; each subcommand is its own class. */
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpikeloopCli()).execute(args));
    }
}
