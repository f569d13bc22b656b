package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop session create --spec FILE}: creates a session from a spec file ({@link
 * SessionSpecFile}); prints the new session's line (its id first) or, with {@code --json}, the
 * {@code Session} message.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a session from a spec file: the JSON form of CreateSessionRequest"
                    + " (proto/src/main/proto/spikeloop/v1/session.proto), e.g."
                    + " examples/sessions/intracortical-lsl.json.",
            "Prints the session's line, its id first."
        })
final class SessionCreateCommand extends ServerClientCommand {
    @Option(
            names = "--spec",
            required = true,
            paramLabel = "FILE",
            description = "The session spec: {\"spec\": {...}} in protobuf's JSON mapping.")
    Path specFile;

    @Option(
            names = "--registry-id",
            paramLabel = "ID",
            description =
                    "Start from this checkpoint of the server's registry (sets"
                            + " spec.decoder.registry_id, e.g. the id `spikeloop train` printed).")
    String registryId;

    @Option(names = "--name", paramLabel = "TEXT", description = "Sets spec.name.")
    String name;

    @Option(names = "--json", description = "Print the Session message as JSON.")
    boolean json;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) {
        CreateSessionRequest request =
                SessionSpecFile.withOverrides(SessionSpecFile.read(specFile), registryId, name);
        Session s =
                SessionServiceGrpc.newBlockingStub(c.channel())
                        .withDeadlineAfter(SessionCommand.CALL_DEADLINE_S, TimeUnit.SECONDS)
                        .createSession(request);
        out.println(json ? SessionText.json(s) : SessionText.line(s));
    }
}
