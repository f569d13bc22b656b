package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spikeloop session get ID}: the session's line, or its {@code Session} message. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Show one session (state, steps, source, decoder, name).")
final class SessionGetCommand extends ServerClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Option(
            names = "--json",
            description = "Print the Session message as JSON (spec, LSL outlet and label state).")
    boolean json;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) {
        Session s =
                SessionServiceGrpc.newBlockingStub(c.channel())
                        .withDeadlineAfter(SessionCommand.CALL_DEADLINE_S, TimeUnit.SECONDS)
                        .getSession(SessionId.newBuilder().setSessionId(sessionId).build());
        out.println(json ? SessionText.json(s) : SessionText.line(s));
    }
}
