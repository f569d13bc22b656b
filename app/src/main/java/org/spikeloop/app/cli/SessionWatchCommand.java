package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.DecodedFrames;
import org.spikeloop.proto.v1.WatchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop session watch ID}: the session's decoded frames, one line each ({@link
 * SessionText#frame}), until {@code --frames} lines were printed, the session stops (the server
 * ends the stream) or Ctrl-C. Frames the server skips for {@code --rate-hz} are not drops; frames
 * this watcher lost because it read too slowly are counted in the line ({@code dropped N}). With
 * {@code --batch-ms} it calls WatchBatched with that batch interval: the same lines, the frames
 * arriving in bursts, and the server sending a message per interval rather than per frame.
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

    @Option(
            names = "--batch-ms",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Have the server gather the frames and send them at most every N ms (1 to"
                            + " 100; WatchBatched's batch_interval_ms): every frame still comes, up"
                            + " to N ms later, and costs the server a fraction of a message per frame"
                            + " (0 = each frame when it is decoded). Default: ${DEFAULT-VALUE}.")
    int batchMs;

    @Override
    void call(ServerConnectionOptions.Connection c, PrintWriter out) throws Exception {
        if (frames < 0) {
            throw new IllegalArgumentException("--frames: must be >= 0, got " + frames);
        }
        if (!(rateHz >= 0) || Double.isInfinite(rateHz)) {
            throw new IllegalArgumentException("--rate-hz: must be >= 0, got " + rateHz);
        }
        if (batchMs < 0) { // sent as a uint32, a negative value would reach the server as 2^32 - N
            throw new IllegalArgumentException("--batch-ms: must be >= 0, got " + batchMs);
        }
        // The server checks the upper bound (one line and exit 2, like its other refusals).
        WatchRequest request =
                WatchRequest.newBuilder()
                        .setSessionId(sessionId)
                        .setMaxRateHz(rateHz)
                        .setBatchIntervalMs(batchMs)
                        .build();
        CancelledOnReturn.call(
                () -> {
                    var decode = DecodeServiceGrpc.newBlockingStub(c.channel());
                    Iterator<DecodedFrame> it =
                            batchMs == 0
                                    ? decode.watch(request)
                                    : frames(decode.watchBatched(request));
                    long printed = 0;
                    while ((frames == 0 || printed < frames) && it.hasNext()) {
                        out.println(SessionText.frame(it.next()));
                        out.flush();
                        printed++;
                    }
                    return null;
                });
    }

    /** The frames of WatchBatched's messages, one by one. */
    private static Iterator<DecodedFrame> frames(Iterator<DecodedFrames> messages) {
        return new Iterator<>() {
            private Iterator<DecodedFrame> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && messages.hasNext()) {
                    current = messages.next().getFramesList().iterator();
                }
                return current.hasNext();
            }

            @Override
            public DecodedFrame next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
