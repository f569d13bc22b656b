package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop session decisions ID}: a trial session's per-trial decisions ({@code
 * WatchDecisions}), one line each ({@link SessionText#decision}), until {@code --trials} lines were
 * printed, the session stops or Ctrl-C; then one line with how many were decided as cued. The
 * stream starts with the next trial window to end, so a watcher started late misses none after it.
 */
@Command(
        name = "decisions",
        mixinStandardHelpOptions = true,
        description = {
            "Print a trial session's decisions, one line per trial window: the cue and its class,"
                    + " the decided class, the class probabilities, whether the session learned"
                    + " from it.",
            "Ends after --trials lines (then: how many were decided as cued), when the session"
                    + " stops, or on Ctrl-C."
        })
final class SessionDecisionsCommand extends ServerClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Option(
            names = "--trials",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Stop after N decisions (0 = until the session stops). Default:"
                            + " ${DEFAULT-VALUE}.")
    long trials;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) throws Exception {
        if (trials < 0) {
            throw new IllegalArgumentException("--trials: must be >= 0, got " + trials);
        }
        WatchDecisionsRequest request =
                WatchDecisionsRequest.newBuilder().setSessionId(sessionId).build();
        CancelledOnReturn.call(
                () -> {
                    Iterator<TrialDecision> it =
                            DecodeServiceGrpc.newBlockingStub(c.channel()).watchDecisions(request);
                    long printed = 0;
                    long asCued = 0;
                    while ((trials == 0 || printed < trials) && it.hasNext()) {
                        TrialDecision d = it.next();
                        out.println(SessionText.decision(d));
                        out.flush();
                        printed++;
                        if (d.getDecision() == d.getCueClass()) {
                            asCued++;
                        }
                    }
                    out.printf(
                            Locale.ROOT,
                            "%d trials: %d decided as cued (%.2f)%n",
                            printed,
                            asCued,
                            printed == 0 ? 0.0 : (double) asCued / printed);
                    return null;
                });
    }
}
