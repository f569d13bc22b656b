package org.spikeloop.server.engine;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The engine's latency records. The engine thread records each value into a wait-free HdrHistogram
 * {@link SingleWriterRecorder} and nothing else: no Micrometer call, no lock, no allocation.
 * Readers {@link #drain} the interval recorded since the last drain into running totals (read by
 * {@link #stepSnapshot}/{@link #endToEndSnapshot} for the statistics API) and hand the interval to
 * the {@link Intervals} sink given at construction (the Prometheus histograms, fed at scrape time).
 *
 * <p>Why not record into Micrometer timers on the engine thread: a Micrometer {@code Timer}'s
 * {@code TimeWindowMax} takes a monitor when its window rotates, which a concurrent scrape can
 * hold; the engine thread must never wait on a reader (issue 17).
 *
 * <p>Threading: {@code record*} on the engine thread only; {@link #drain} and {@code *Snapshot} on
 * any other thread (serialised among readers, never blocking the writer).
 */
public final class LatencyRecorders {
    /** Longest latency the histograms resolve; longer values are recorded as this. */
    public static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    /** Receives each drained interval, on the draining thread, while readers are serialised. */
    @FunctionalInterface
    public interface Intervals {
        /** The step and end-to-end latencies recorded since the previous drain (do not keep). */
        void accept(Histogram step, Histogram endToEnd);
    }

    private final SingleWriterRecorder step = new SingleWriterRecorder(1, HIGHEST_NS, 3);
    private final SingleWriterRecorder endToEnd = new SingleWriterRecorder(1, HIGHEST_NS, 3);
    private final Histogram stepTotal = new Histogram(1, HIGHEST_NS, 3);
    private final Histogram endToEndTotal = new Histogram(1, HIGHEST_NS, 3);
    private final Intervals sink;
    private Histogram stepInterval;
    private Histogram endToEndInterval;

    /** Records kept for the statistics API only. */
    public LatencyRecorders() {
        this((s, e) -> {});
    }

    /**
     * @param sink told of every drained interval (the Prometheus histograms)
     */
    public LatencyRecorders(Intervals sink) {
        this.sink = sink;
    }

    /** Compute time of one step (engine thread). */
    public void recordStep(long ns) {
        step.recordValue(clamp(ns));
    }

    /** Source time stamp → frame published (engine thread). */
    public void recordEndToEnd(long ns) {
        endToEnd.recordValue(clamp(ns));
    }

    /**
     * Moves what was recorded since the last drain into the totals and hands it to the sink
     * (control plane: the statistics API, a Prometheus scrape).
     */
    public synchronized void drain() {
        stepInterval = step.getIntervalHistogram(stepInterval);
        endToEndInterval = endToEnd.getIntervalHistogram(endToEndInterval);
        stepTotal.add(stepInterval);
        endToEndTotal.add(endToEndInterval);
        sink.accept(stepInterval, endToEndInterval);
    }

    /** All step latencies recorded so far (a copy; control plane). */
    public synchronized Histogram stepSnapshot() {
        drain();
        return stepTotal.copy();
    }

    /** All end-to-end latencies recorded so far (a copy; control plane). */
    public synchronized Histogram endToEndSnapshot() {
        drain();
        return endToEndTotal.copy();
    }

    private static long clamp(long ns) {
        return ns < 1 ? 1 : Math.min(ns, HIGHEST_NS);
    }
}
