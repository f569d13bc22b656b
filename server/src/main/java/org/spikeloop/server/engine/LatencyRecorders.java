package org.spikeloop.server.engine;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The engine's latency records: each value goes to a wait-free HdrHistogram {@link
 * SingleWriterRecorder} (read as interval histograms by {@link #stepSnapshot}/{@link
 * #endToEndSnapshot} for the statistics API) and to a Micrometer {@link Timer} (the Prometheus
 * histogram), both created once at session start.
 *
 * <p>Threading: {@code record*} on the engine thread only; {@code *Snapshot} on any thread
 * (synchronised among readers, never blocking the writer). Allocation: none when recording.
 */
public final class LatencyRecorders {
    /** Longest latency the histograms resolve; longer values are recorded as this. */
    public static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final SingleWriterRecorder step = new SingleWriterRecorder(1, HIGHEST_NS, 3);
    private final SingleWriterRecorder endToEnd = new SingleWriterRecorder(1, HIGHEST_NS, 3);
    private final Histogram stepTotal = new Histogram(1, HIGHEST_NS, 3);
    private final Histogram endToEndTotal = new Histogram(1, HIGHEST_NS, 3);
    private Histogram stepInterval;
    private Histogram endToEndInterval;
    private final Timer stepTimer;
    private final Timer endToEndTimer;

    /**
     * @param stepTimer the Prometheus step-latency timer, or null for none
     * @param endToEndTimer the Prometheus end-to-end timer, or null for none
     */
    public LatencyRecorders(Timer stepTimer, Timer endToEndTimer) {
        this.stepTimer = stepTimer;
        this.endToEndTimer = endToEndTimer;
    }

    /** Compute time of one step (engine thread). */
    public void recordStep(long ns) {
        long v = clamp(ns);
        step.recordValue(v);
        if (stepTimer != null) {
            stepTimer.record(v, TimeUnit.NANOSECONDS);
        }
    }

    /** Source time stamp → frame published (engine thread). */
    public void recordEndToEnd(long ns) {
        long v = clamp(ns);
        endToEnd.recordValue(v);
        if (endToEndTimer != null) {
            endToEndTimer.record(v, TimeUnit.NANOSECONDS);
        }
    }

    /** All step latencies recorded so far (a copy; control plane). */
    public synchronized Histogram stepSnapshot() {
        stepInterval = step.getIntervalHistogram(stepInterval);
        stepTotal.add(stepInterval);
        return stepTotal.copy();
    }

    /** All end-to-end latencies recorded so far (a copy; control plane). */
    public synchronized Histogram endToEndSnapshot() {
        endToEndInterval = endToEnd.getIntervalHistogram(endToEndInterval);
        endToEndTotal.add(endToEndInterval);
        return endToEndTotal.copy();
    }

    private static long clamp(long ns) {
        return ns < 1 ? 1 : Math.min(ns, HIGHEST_NS);
    }
}
