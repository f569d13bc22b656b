package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Shared error contract of the {@code checkpoint} subcommands: success exits 0; any failure exits
 * {@value #EXIT_FAILURE} with one line {@code "<command>: <message>"} on stderr, plus the stack
 * trace only with {@code --verbose}. Output goes through picocli's out/err writers so tests capture
 * it.
 */
abstract class CheckpointSubcommand implements Callable<Integer> {
    static final int EXIT_FAILURE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--verbose",
            description = "Print the stack trace of a failure, not just its message.")
    boolean verbose;

    /** Does the command's work; any exception becomes the one-line failure. */
    abstract void execute(PrintWriter out) throws Exception;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            execute(out);
            out.flush();
            return 0;
        } catch (Exception e) {
            out.flush();
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            err.println(spec.qualifiedName() + ": " + message.replace('\n', ' '));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        }
    }

    /** The default creator recorded in provenance: the OS user. */
    static String defaultCreator() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
