package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.WatchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop session watch ID}: the session's decoded frames, one line each ({@link
 * SessionText#frame}), until {@code --frames} lines were printed, the session stops (the server
 * ends the stream) or Ctrl-C. Frames the server skips for {@code --rate-hz} are not drops; frames
 * this watcher lost because it read too slowly are counted in the line ({@code dropped N}).
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Print a session's decoded frames, one line each: step, outputs, label (when the"
                    + " session has one), latency (decode time - source time stamp).",
            "Ends after --frames lines, when the session stops, or on Ctrl-C."
        })
final class SessionWatchCommand extends ServerClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Option(
            names = "--frames",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Stop after N frames (0 = until the session stops). Default: ${DEFAULT-VALUE}.")
    long frames;

    @Option(
            names = "--rate-hz",
            defaultValue = "0",
            paramLabel = "R",
            description =
                    "At most R frames per second; the server skips the rest (0 = every frame)."
                            + " Default: ${DEFAULT-VALUE}.")
    double rateHz;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) throws Exception {
        if (frames < 0) {
            throw new IllegalArgumentException("--frames: must be >= 0, got " + frames);
        }
        if (!(rateHz >= 0) || Double.isInfinite(rateHz)) {
            throw new IllegalArgumentException("--rate-hz: must be >= 0, got " + rateHz);
        }
        WatchRequest request =
                WatchRequest.newBuilder().setSessionId(sessionId).setMaxRateHz(rateHz).build();
        CancelledOnReturn.call(
                () -> {
                    Iterator<DecodedFrame> it =
                            DecodeServiceGrpc.newBlockingStub(c.channel()).watch(request);
                    long printed = 0;
                    while ((frames == 0 || printed < frames) && it.hasNext()) {
                        out.println(SessionText.frame(it.next()));
                        out.flush();
                        printed++;
                    }
                    return null;
                });
    }
}
