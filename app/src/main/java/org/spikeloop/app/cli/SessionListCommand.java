package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.ListSessionsResponse;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikeloop session list}: one line per session (nothing when there is none). */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the server's sessions, one line each, its id first.")
final class SessionListCommand extends ServerClientCommand {
    @Option(names = "--json", description = "Print the ListSessionsResponse message as JSON.")
    boolean json;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) {
        ListSessionsResponse r =
                SessionServiceGrpc.newBlockingStub(c.channel())
                        .withDeadlineAfter(SessionCommand.CALL_DEADLINE_S, TimeUnit.SECONDS)
                        .listSessions(ListSessionsRequest.getDefaultInstance());
        if (json) {
            out.println(SessionText.json(r));
            return;
        }
        for (Session s : r.getSessionsList()) {
            out.println(SessionText.line(s));
        }
    }
}
