package org.spikeloop.app.bench;

import java.util.List;
import org.spikeloop.server.engine.FramePublisher;
import picocli.CommandLine.Option;

/**
 * How the watcher of {@code bench e2e} receives the decoded frames: the options {@code bench e2e}
 * takes and hands on unchanged ({@link #args}) to its external watcher, {@code bench e2e-watch},
 * which takes the same ones. One mixin, so the two processes share every name, default and check,
 * and build the same watcher from them ({@link #open}).
 */
final class WatchOptions {
    /** How long a watcher waits for a session's LSL outlet to be found and to open. */
    static final double OUTLET_RESOLVE_S = 10;

    @Option(
            names = "--client-executor",
            paramLabel = "NAME",
            defaultValue = "direct",
            description =
                    "The watcher channel's executor: direct (frames handled on the Netty event"
                            + " loop, no hand-off) or default (gRPC's cached thread pool). Default:"
                            + " ${DEFAULT-VALUE}.")
    String clientExecutor;

    @Option(
            names = "--watch-rpc",
            paramLabel = "NAME",
            defaultValue = "batched",
            description =
                    "The watcher's call: watch (DecodeService.Watch, a frame a message) or batched"
                            + " (WatchBatched, the frames of a delivery pass in one message)."
                            + " Default: ${DEFAULT-VALUE}.")
    String watchRpc;

    @Option(
            names = "--watch-batch-ms",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "With --watch-rpc batched: the watcher's WatchRequest.batch_interval_ms, so the"
                            + " server gathers its frames into a message at most every N ms (0 to"
                            + " 100; each frame then reaches the watcher up to N ms later, and the"
                            + " latency measured says so). 0 = a message per delivery pass."
                            + " Default: ${DEFAULT-VALUE}.")
    int watchBatchMs;

    @Option(
            names = "--watch-over",
            paramLabel = "NAME",
            defaultValue = "grpc",
            description =
                    "How the watcher receives the decoded frames: grpc (a Watch stream per"
                            + " session) or lsl (each session's LSL outlet of decoded outputs, as a"
                            + " closed-loop consumer on LSL reads them; no gRPC watcher then)."
                            + " Default: ${DEFAULT-VALUE}.")
    String watchOver;

    /**
     * @throws IllegalArgumentException naming the option whose value has no meaning here
     */
    void validate() {
        batched(watchRpc);
        overLsl(watchOver);
        watchBatchMs(watchBatchMs, watchRpc, watchOver);
        if (!List.of("direct", "default").contains(clientExecutor)) {
            throw new IllegalArgumentException(
                    "--client-executor: direct or default, got '" + clientExecutor + "'");
        }
    }

    /** Whether the watcher reads the sessions' LSL outlets rather than gRPC streams. */
    boolean overLsl() {
        return overLsl(watchOver);
    }

    /**
     * The watcher these options describe, watching now.
     *
     * @param grpcPort the server's gRPC port on 127.0.0.1 (unused over LSL)
     * @param watched the session ids, or over LSL the names of their outlets
     * @param outputs channels of an outlet's samples (unused over gRPC)
     * @param seconds the measured window's length (for misses by second)
     */
    FrameWatch open(int grpcPort, List<String> watched, int outputs, int seconds) {
        return overLsl()
                ? new LslOutputWatcher(watched, outputs, seconds, OUTLET_RESOLVE_S)
                : new E2eWatcher(
                        grpcPort,
                        watched,
                        clientExecutor.equals("direct"),
                        seconds,
                        batched(watchRpc),
                        watchBatchMs);
    }

    /** These options as {@code bench e2e-watch} takes them on its command line. */
    List<String> args() {
        return List.of(
                "--client-executor",
                clientExecutor,
                "--watch-rpc",
                watchRpc,
                "--watch-batch-ms",
                Integer.toString(watchBatchMs),
                "--watch-over",
                watchOver);
    }

    /**
     * {@code --watch-rpc}: whether the watcher calls WatchBatched.
     *
     * @throws IllegalArgumentException for anything but {@code watch} or {@code batched}
     */
    static boolean batched(String watchRpc) {
        return switch (watchRpc) {
            case "batched" -> true;
            case "watch" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "--watch-rpc: watch or batched, got '" + watchRpc + "'");
        };
    }

    /**
     * {@code --watch-batch-ms}: the batch interval the gRPC watcher asks for (0 = none).
     *
     * @throws IllegalArgumentException outside [0, {@link FramePublisher#MAX_BATCH_INTERVAL_MS}],
     *     or non-zero for a watcher that does not call WatchBatched ({@code --watch-rpc watch},
     *     {@code --watch-over lsl}), which would ignore it
     */
    static int watchBatchMs(int ms, String watchRpc, String watchOver) {
        if (ms < 0 || ms > FramePublisher.MAX_BATCH_INTERVAL_MS) {
            throw new IllegalArgumentException(
                    "--watch-batch-ms: 0 (none) to "
                            + FramePublisher.MAX_BATCH_INTERVAL_MS
                            + ", got "
                            + ms);
        }
        if (ms != 0 && (overLsl(watchOver) || !batched(watchRpc))) {
            throw new IllegalArgumentException(
                    "--watch-batch-ms: only for a watcher that calls WatchBatched (--watch-rpc"
                            + " batched, --watch-over grpc), got --watch-rpc "
                            + watchRpc
                            + " --watch-over "
                            + watchOver);
        }
        return ms;
    }

    /**
     * {@code --watch-over}: whether the watcher reads the sessions' LSL outlets.
     *
     * @throws IllegalArgumentException for anything but {@code grpc} or {@code lsl}
     */
    static boolean overLsl(String watchOver) {
        return switch (watchOver) {
            case "lsl" -> true;
            case "grpc" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "--watch-over: grpc or lsl, got '" + watchOver + "'");
        };
    }
}
