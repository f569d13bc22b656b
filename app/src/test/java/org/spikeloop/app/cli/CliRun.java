package org.spikeloop.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the real {@code spikeloop} command line in-process ({@link SpikeloopCli#commandLine()}, as
 * {@code Main} does) and captures its exit code and text: picocli's writers and, for commands that
 * print directly, {@code System.out} and {@code System.err}.
 */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(outStream);
        System.setErr(errStream);
        try {
            CommandLine cli = SpikeloopCli.commandLine();
            cli.setOut(writer(outStream));
            cli.setErr(writer(errStream));
            int code = cli.execute(args);
            cli.getOut().flush();
            cli.getErr().flush();
            return new CliRun(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The lines on stderr. */
    public List<String> errLines() {
        return err.lines().toList();
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
