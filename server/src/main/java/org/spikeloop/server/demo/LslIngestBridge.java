package org.spikeloop.server.demo;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.PostProcessing;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.server.session.SampleIngest;

/**
 * The label source of the demo session: pulls chunks from an LSL inlet and offers each row, with
 * its time stamp, to a session's {@link SampleIngest}. The server binds a session's samples to an
 * LSL stream (SOURCE_LSL) but has no LSL label source yet (docs/architecture.md), so the demo feeds
 * the kinematics stream through the session's public label-ingest API — the same checks and
 * counters as a gRPC label stream. The inlet uses liblsl's clock-sync post-processing, as the
 * server's sample source does, so labels and samples are stamped on the same clock and the engine
 * aligns them by time stamp.
 *
 * <p>Threading: one thread per bridge ({@code demo-lsl-<stream>}), the single producer of its
 * ingest ring. Allocation: none per chunk after start-up (JNA boxes the pull's result).
 */
final class LslIngestBridge implements AutoCloseable {
    private static final double PULL_TIMEOUT_S = 0.05;
    private static final int MAX_CHUNK_SAMPLES = 256;

    private final Inlet inlet;
    private final SampleIngest ingest;
    private final StreamInfo info;
    private final double nominalRateHz;
    private final Thread thread;
    private final AtomicLong rows = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * Resolves the stream by its source id and opens an inlet on it.
     *
     * @param nominalRateHz the rate the ingest checks chunks against (0 = not stated)
     * @throws IllegalStateException if the stream is not found within {@code timeoutS}
     */
    LslIngestBridge(String sourceId, SampleIngest ingest, double nominalRateHz, double timeoutS) {
        List<StreamInfo> found = Resolver.byProperty("source_id", sourceId, 1, timeoutS);
        if (found.isEmpty()) {
            throw new IllegalStateException(
                    "LSL stream with source_id '" + sourceId + "' not found in " + timeoutS + " s");
        }
        this.info = found.get(0);
        this.inlet =
                new Inlet(
                        info, InletConfig.defaults().withPostprocessing(PostProcessing.CLOCK_SYNC));
        this.inlet.open(timeoutS);
        this.ingest = ingest;
        this.nominalRateHz = nominalRateHz;
        this.thread = new Thread(this::run, "demo-lsl-" + info.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Rows handed to the ingest so far. */
    long rows() {
        return rows.get();
    }

    /** Why the bridge stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    private void run() {
        final int width = ingest.width();
        final float[] first = new float[width];
        final double[] firstStamp = new double[1];
        final float[] rest = new float[MAX_CHUNK_SAMPLES * width];
        final double[] restStamps = new double[MAX_CHUNK_SAMPLES];
        try {
            while (running) {
                // liblsl's timed pull waits until the buffer is full, so block for one sample
                // only, then take whatever else is already there without waiting: each sample
                // reaches the session as soon as it arrives (its deadline starts at arrival).
                if (inlet.pullChunk(first, firstStamp, PULL_TIMEOUT_S) == 0) {
                    continue;
                }
                int n = inlet.pullChunk(rest, restStamps, 0.0);
                ingest.beginChunk(width, (n + 1) * width, n + 1, nominalRateHz);
                offer(first, 0, firstStamp[0]);
                for (int s = 0; s < n; s++) {
                    offer(rest, s * width, restStamps[s]);
                }
                ingest.endChunk(); // hands the chunk's rows to the recording now, not 1024 later
                rows.addAndGet(n + 1);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void offer(float[] src, int offset, double stampS) {
        System.arraycopy(src, offset, ingest.rowBuffer(), 0, ingest.width());
        ingest.offerRow(stampS);
    }

    /** Stops pulling, closes the inlet and releases the ingest stream. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        inlet.close();
        ingest.close();
    }
}
