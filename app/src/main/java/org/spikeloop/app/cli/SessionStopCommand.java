package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop session stop ID}: stops the session (its recording is finished and closed);
 * prints its final line.
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = "Stop a session; its recording is completed. Prints its final line.")
final class SessionStopCommand extends ServerClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) {
        Session s =
                SessionServiceGrpc.newBlockingStub(c.channel())
                        .withDeadlineAfter(SessionCommand.CALL_DEADLINE_S, TimeUnit.SECONDS)
                        .stopSession(SessionId.newBuilder().setSessionId(sessionId).build());
        out.println(SessionText.line(s));
    }
}
