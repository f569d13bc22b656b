package org.spikeloop.app.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls a running server over gRPC: opens the connection ({@link
 * ServerConnectionOptions}), runs {@link #call(ServerConnectionOptions.Connection, PrintWriter)},
 * and turns every failure the user can act on into one line on stderr and exit code 2: a bad option
 * or file, and every gRPC error, which prints the status and the server's own message (it names the
 * field: {@code spec.channel_count: must be >= 1}).
 */
abstract class ServerClientCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ServerConnectionOptions connection;

    /** Does the command's work; stdout is {@code out}. */
    abstract void call(ServerConnectionOptions.Connection c, PrintWriter out) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ServerConnectionOptions.Connection c = connection.open()) {
            call(c, out);
            out.flush();
            return 0;
        } catch (StatusRuntimeException e) {
            out.flush();
            // the server's refusal is the user's to act on: one line and exit 2 (FailureHandler)
            throw new IllegalArgumentException(describe(e.getStatus(), connection.server), e);
        }
    }

    /** One line: the status code and the server's message (or the transport's, for UNAVAILABLE). */
    static String describe(Status s, String server) {
        String message = s.getDescription() == null ? "" : s.getDescription().replace('\n', ' ');
        if (s.getCode() == Status.Code.UNAVAILABLE) {
            Throwable cause = s.getCause();
            String why = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
            return "UNAVAILABLE: cannot reach a spikeloop server at "
                    + server
                    + " ("
                    + why.replace('\n', ' ')
                    + "; is `spikeloop serve` running there, with TLS only if --tls-ca is given?)";
        }
        return s.getCode() + ": " + message;
    }
}
