package org.spikeloop.server.io;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.NonFiniteFilter;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.recording.RowRecorder;

/**
 * The label source of a session whose labels are continuous targets from an LSL stream (numeric,
 * one channel per decoder output, regular rate, e.g. kinematics): pulls from its {@link Inlet}
 * without waiting and is the single producer of the session's label ring. The engine applies a
 * label from its time stamp on (sample and hold). If no sample arrives for the stall limit the
 * stream counts as stalled (counted) and a row of NaN ({@link EngineAgent#CLEAR_LABEL}) stamped
 * with the detection time ends the last target, so the steps after it carry none and e-prop does
 * not learn on them; the next sample resumes. (Cue markers have a source of their own, {@link
 * LslMarkerSource}.)
 *
 * <p>Rejected, counted, never handed on: non-finite values, non-finite time stamps or stamps older
 * than the last accepted one (out of order). A full label ring drops and counts (the engine's
 * {@code labels_dropped}).
 *
 * <p>Accepted targets (not the clear rows) go to the session recording's labels stream.
 *
 * <p>Threading: its agent runs on its session's engine thread (or, not co-located, the sources'
 * pool thread); the counters are read from any thread. Allocation: none per pull.
 */
public final class LslLabelSource implements Agent {
    static final int CHUNK_SAMPLES = 256;

    private final String roleName;
    private final Inlet inlet;
    private final SampleRing ring;
    private final EngineClock clock;
    private final AtomicLong in;
    private final AtomicLong dropped;
    private final LslLabelCounters counters;
    private final RowRecorder recorder; // null when the session does not record
    private final int width;
    private final long stallAfterNs;
    private final float[] data;
    private final double[] stamps;
    private final float[] row;
    private final float[] clear;
    private final NonFiniteFilter finite;
    private long lastDataNs;
    private double lastStampS = Double.NEGATIVE_INFINITY; // last accepted source stamp
    private double lastRingStampS = Double.NEGATIVE_INFINITY; // last row offered to the ring
    private boolean stalled;

    /**
     * @param inlet an open inlet of the label stream (closed by {@link #onClose})
     * @param recorder the recording's labels stream, or null when the session does not record
     * @param stallAfterNs no sample for this long counts as a stall
     */
    LslLabelSource(
            String sessionId,
            Inlet inlet,
            SampleRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            RowRecorder recorder,
            long stallAfterNs) {
        this.roleName = "spikeloop-lsl-labels-" + sessionId;
        this.inlet = inlet;
        this.ring = ring;
        this.clock = clock;
        this.in = engineCounters.labelsIn;
        this.dropped = engineCounters.labelsDropped;
        this.counters = counters;
        this.recorder = recorder;
        this.width = ring.width();
        this.stallAfterNs = stallAfterNs;
        this.data = new float[CHUNK_SAMPLES * width];
        this.stamps = new double[CHUNK_SAMPLES];
        this.row = new float[width];
        this.clear = new float[width];
        this.finite = new NonFiniteFilter(width);
        Arrays.fill(clear, EngineAgent.CLEAR_LABEL);
        this.lastDataNs = clock.nanoTime();
    }

    /**
     * The label source over an open label inlet ({@link LslEndpoints#openLabelInlet}).
     *
     * @param ring the session's label ring (one channel per decoder output)
     * @param recorder the recording's labels stream, or null when the session does not record
     * @param stallS no sample for this long counts as a stall
     */
    public static LslLabelSource start(
            String sessionId,
            Inlet inlet,
            SampleRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            RowRecorder recorder,
            double stallS) {
        return new LslLabelSource(
                sessionId,
                inlet,
                ring,
                clock,
                engineCounters,
                counters,
                recorder,
                (long) (stallS * TimeUnit.SECONDS.toNanos(1)));
    }

    /** What this source did (its counts and state, read from any thread). */
    public LslLabelCounters counters() {
        return counters;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        return pullTargets();
    }

    private int pullTargets() {
        int n = inlet.pullChunk(data, stamps, 0.0);
        long nowNs = clock.nanoTime();
        if (n == 0) {
            if (!stalled && nowNs - lastDataNs > stallAfterNs) {
                stall(nowNs * 1e-9);
            }
            if (recorder != null) {
                recorder.flushIfDue(nowNs);
            }
            return 0;
        }
        lastDataNs = nowNs;
        resume();
        final int w = width;
        final int kept = finite.compact(data, stamps, n); // the finite targets, in order
        if (kept < n) {
            EngineCounters.add(counters.rejectedNonFinite, n - kept);
        }
        for (int s = 0; s < kept; s++) {
            if (acceptStamp(stamps[s])) {
                System.arraycopy(data, s * w, row, 0, w);
                offerTarget(stamps[s], nowNs);
            }
        }
        if (recorder != null) {
            recorder.flushIfDue(nowNs); // continuous targets may come at the sample rate
        }
        return n;
    }

    /** Rejects (and counts) a non-finite stamp or one older than the last accepted one. */
    private boolean acceptStamp(double ts) {
        if (!Double.isFinite(ts) || ts < lastStampS) {
            EngineCounters.increment(counters.rejectedOutOfOrder);
            return false;
        }
        lastStampS = ts;
        return true;
    }

    private boolean offerTarget(double ts, long arrivalNs) {
        if (ring.offer(row, 0, ts, arrivalNs)) {
            lastRingStampS = ts;
            EngineCounters.increment(in);
            if (recorder != null) {
                recorder.add(row, ts);
            }
            return true;
        }
        EngineCounters.increment(dropped);
        return false;
    }

    /** Ends the current label from {@code fromS} on (never before a row already in the ring). */
    private void offerClear(double fromS, long arrivalNs) {
        double ts = Math.max(fromS, lastRingStampS);
        if (ring.offer(clear, 0, ts, arrivalNs)) {
            lastRingStampS = ts;
        } else {
            EngineCounters.increment(dropped);
        }
    }

    private void stall(double nowS) {
        stalled = true;
        counters.stalled = true;
        EngineCounters.increment(counters.stalls);
        offerClear(nowS, clock.nanoTime());
    }

    private void resume() {
        if (stalled) {
            stalled = false;
            counters.stalled = false;
        }
    }

    private void flushRecorder() {
        if (recorder != null) {
            recorder.flush();
        }
    }

    @Override
    public void onClose() {
        try {
            flushRecorder(); // before Session.stop closes the recording
        } finally {
            inlet.close();
        }
    }
}
