package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code spikeloop} command line's root command; each subcommand is its own class ({@link
 * org.spikeloop.app.Main} runs it). Build it with {@link #commandLine()}: that is where failures
 * get their one line and exit code ({@link FailureHandler}) and old option spellings keep working
 * ({@link DeprecatedAliases}).
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
            JobCommand.class,
            ServeCommand.class,
            SessionCommand.class,
            SimCommand.class
        })
public final class SpikeloopCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Every command takes it (before or after the command's name). */
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    /** The {@code spikeloop} command line, ready to {@code execute(args)}. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpikeloopCli());
        FailureHandler failures = new FailureHandler();
        cli.setExecutionExceptionHandler(failures);
        cli.setParameterExceptionHandler(failures);
        DeprecatedAliases.install(cli);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
