package org.spikeloop.app.demo;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.learn.baseline.SlidingR2;
import org.spikeloop.server.engine.Frame;
import org.spikeloop.server.engine.FrameSink;

/**
 * The demo's watcher of its session: from every decoded frame it keeps the sliding-window R² of the
 * decoded velocity against the frame's label, the latency from the sample's arrival to its decoded
 * frame (an HdrHistogram {@link SingleWriterRecorder}, read as one-second intervals), the deadline
 * misses and the frames it lost; and it republishes the decoded velocity on an LSL outlet ({@code
 * <prefix>-decoded}, float32 vx, vy in m/s, stamped with the source time stamp of the sample each
 * frame consumed) so LSL tools (a viewer, LabRecorder) see the decoded output next to the rig's
 * streams, on one clock. (The session's XDF recording is the server's own.)
 *
 * <p>Threading: {@link #send}/{@link #complete} run on the session's publisher thread (single
 * writer); the read methods are for the status thread (volatile values, an interval histogram).
 * Allocation: none per frame.
 */
final class DemoWatcher implements FrameSink, AutoCloseable {
    private static final int PUSH_EVERY_FRAMES = 10;

    private final SlidingR2 r2;
    private final SingleWriterRecorder latencyNs = new SingleWriterRecorder(1, 60_000_000_000L, 3);
    private Histogram latencyInterval;
    private final double[] truth = new double[2];
    private final double[] predicted = new double[2];
    private final Outlet decoded;
    private final float[] pending = new float[2 * PUSH_EVERY_FRAMES];
    private final double[] pendingStamps = new double[PUSH_EVERY_FRAMES];
    private int pendingFrames;
    private volatile boolean cancelled;
    private volatile boolean completed;
    private volatile double r2Value = Double.NaN;
    private volatile double lastSourceTimestampS = Double.NaN;
    private volatile long frames;
    private volatile long deadlineMisses;
    private volatile long dropped;

    /**
     * @param r2WindowFrames frames in the R² window
     * @param streamPrefix the decoded outlet is {@code <prefix>-decoded}
     * @param sourceIdSuffix makes the outlet's source id unique to this process
     * @param sampleRateHz nominal rate of the decoded stream
     */
    DemoWatcher(
            int r2WindowFrames, String streamPrefix, String sourceIdSuffix, double sampleRateHz) {
        this.r2 = new SlidingR2(2, r2WindowFrames);
        this.decoded =
                new Outlet(
                        StreamInfo.builder(
                                        streamPrefix + "-decoded",
                                        "DecodedKinematics",
                                        2,
                                        ChannelFormat.FLOAT32)
                                .nominalSrateHz(sampleRateHz)
                                .sourceId(streamPrefix + "-decoded-" + sourceIdSuffix)
                                .channelLabels(List.of("vx", "vy"))
                                .build());
    }

    StreamInfo decodedInfo() {
        return decoded.info();
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void send(Frame frame, long droppedSoFar) {
        if (frame.outputs.length < 2) {
            return;
        }
        if (frame.hasLabel) {
            truth[0] = frame.label[0];
            truth[1] = frame.label[1];
            predicted[0] = frame.outputs[0];
            predicted[1] = frame.outputs[1];
            r2.add(truth, predicted);
            r2Value = r2.value();
        }
        long latency = frame.decodeNs - frame.arrivalNs;
        latencyNs.recordValue(Math.max(1, Math.min(latency, 60_000_000_000L)));
        if (frame.deadlineMissed) {
            deadlineMisses = deadlineMisses + 1;
        }
        dropped = droppedSoFar;
        lastSourceTimestampS = frame.sourceTimestampS;
        frames = frames + 1;
        int k = pendingFrames;
        pending[2 * k] = frame.outputs[0];
        pending[2 * k + 1] = frame.outputs[1];
        pendingStamps[k] = frame.sourceTimestampS;
        pendingFrames = k + 1;
        if (pendingFrames == PUSH_EVERY_FRAMES) {
            pushPending();
        }
    }

    private void pushPending() {
        if (pendingFrames > 0) {
            decoded.pushChunk(pending, pendingStamps, pendingFrames);
            pendingFrames = 0;
        }
    }

    @Override
    public void complete() {
        pushPending();
        completed = true;
    }

    /** Sliding-window R² (mean over vx, vy) of the frames seen so far; NaN before labels. */
    double r2() {
        return r2Value;
    }

    /** Source time stamp of the newest frame seen (LSL clock, s). */
    double lastSourceTimestampS() {
        return lastSourceTimestampS;
    }

    long frames() {
        return frames;
    }

    long deadlineMisses() {
        return deadlineMisses;
    }

    /** Frames this watcher lost because it fell behind the engine. */
    long dropped() {
        return dropped;
    }

    /** Whether the session completed this watcher's stream (it stopped). */
    boolean isCompleted() {
        return completed;
    }

    /**
     * Arrival → decoded latencies since the previous call (status thread only; the returned
     * histogram is reused by the next call).
     */
    Histogram takeLatencyInterval() {
        latencyInterval = latencyNs.getIntervalHistogram(latencyInterval);
        return latencyInterval;
    }

    /** Detaches from the session (the publisher drops it) and closes the decoded outlet. */
    @Override
    public void close() {
        cancelled = true;
        decoded.close();
    }
}
