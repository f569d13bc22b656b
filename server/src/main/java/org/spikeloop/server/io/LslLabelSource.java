package org.spikeloop.server.io;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.NonFiniteFilter;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.recording.RowRecorder;

/**
 * The label source of a session whose labels come from an LSL stream: pulls from its {@link Inlet}
 * without waiting and is the single producer of the session's label ring. The engine applies a
 * label from its time stamp on (sample and hold); a row of NaN ({@link EngineAgent#CLEAR_LABEL})
 * ends the label, so the steps after it carry none and e-prop does not learn on them.
 *
 * <ul>
 *   <li><b>Continuous</b> (numeric, one channel per decoder output, regular rate): each sample is a
 *       target. If no sample arrives for the stall limit the stream counts as stalled (counted) and
 *       a clear row stamped with the detection time ends the last target; the next sample resumes.
 *   <li><b>Markers</b> (one string channel, irregular): a cue in the cue table starts a trial
 *       window: a one-hot target on its class from the marker's stamp, held for {@code trialS} or
 *       until the next marker, whichever comes first; an end cue closes the window early. Between
 *       windows there is no label, so learning pauses there. A marker stream is silent between
 *       cues, so its disappearance is detected by {@link StreamPresence} instead of a timeout: a
 *       vanished stream counts a stall and closes the open window at once.
 * </ul>
 *
 * <p>Rejected, counted, never handed on: non-finite values, non-finite time stamps or stamps older
 * than the last accepted one (out of order), unknown cues (the last one is kept for the API). A
 * full label ring drops and counts (the engine's {@code labels_dropped}).
 *
 * <p>Accepted targets (not the clear rows) go to the session recording's labels stream.
 *
 * <p>Threading: its agent runs on its session's engine thread (or, not co-located, the sources'
 * pool thread); the counters are read from any thread. Allocation: none per pull for continuous
 * labels; a marker pull allocates its strings (markers are a few per second).
 */
public final class LslLabelSource implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(LslLabelSource.class);

    static final int CHUNK_SAMPLES = 256;

    private final String roleName;
    private final Inlet inlet;
    private final SampleRing ring;
    private final EngineClock clock;
    private final AtomicLong in;
    private final AtomicLong dropped;
    private final LslLabelCounters counters;
    private final RowRecorder recorder; // null when the session does not record
    private final BooleanSupplier present; // markers: whether the stream is on the network
    private final AutoCloseable presenceResource; // closed with the source; may be null
    private final boolean markers;
    private final int width;
    private final long stallAfterNs;
    private final float[] data;
    private final String[] cues;
    private final double[] stamps;
    private final float[] row;
    private final float[] clear;
    private final NonFiniteFilter finite; // continuous targets
    private final Map<String, Integer> cueClasses;
    private final Set<String> endCues;
    private final double trialS;
    private long lastDataNs;
    private double lastStampS = Double.NEGATIVE_INFINITY; // last accepted source stamp
    private double lastRingStampS = Double.NEGATIVE_INFINITY; // last row offered to the ring
    private boolean stalled;
    private boolean inTrial;
    private double trialEndS;

    /**
     * @param present markers: whether the stream is still on the network (read every cycle; e.g.
     *     {@link StreamPresence#present}); null for continuous
     * @param presenceResource what answers {@code present}, closed with the source; may be null
     * @param stallAfterNs continuous: no sample for this long counts as a stall
     */
    LslLabelSource(
            String sessionId,
            LslLabelConfig config,
            Inlet inlet,
            SampleRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            RowRecorder recorder,
            BooleanSupplier present,
            AutoCloseable presenceResource,
            long stallAfterNs) {
        this.roleName = "spikeloop-lsl-labels-" + sessionId;
        this.inlet = inlet;
        this.ring = ring;
        this.clock = clock;
        this.in = engineCounters.labelsIn;
        this.dropped = engineCounters.labelsDropped;
        this.counters = counters;
        this.recorder = recorder;
        this.present = present;
        this.presenceResource = presenceResource;
        if (config.kind() == LslLabelConfig.Kind.MARKERS && present == null) {
            throw new IllegalArgumentException("a marker label source needs a presence check");
        }
        this.markers = config.kind() == LslLabelConfig.Kind.MARKERS;
        this.width = ring.width();
        this.stallAfterNs = stallAfterNs;
        this.data = markers ? null : new float[CHUNK_SAMPLES * width];
        this.cues = markers ? new String[CHUNK_SAMPLES] : null;
        this.stamps = new double[CHUNK_SAMPLES];
        this.row = new float[width];
        this.clear = new float[width];
        this.finite = markers ? null : new NonFiniteFilter(width);
        Arrays.fill(clear, EngineAgent.CLEAR_LABEL);
        this.cueClasses = new HashMap<>(config.cueClasses());
        this.endCues = new HashSet<>(config.endCues());
        this.trialS = config.trialS();
        this.lastDataNs = clock.nanoTime();
    }

    /**
     * Opens the label source of a session: resolves and connects its label stream ({@link
     * LslEndpoints#openLabelInlet}; check the spec first with {@link LslEndpoints#checkLabelSpec})
     * and, for markers, starts the {@link StreamPresence} check that tells a vanished stream from a
     * quiet one. Closes what it opened if anything fails.
     *
     * @param ring the session's label ring (one channel per decoder output)
     * @param recorder the recording's labels stream, or null when the session does not record
     * @param stallS continuous: no sample for this long counts as a stall; markers: a vanished
     *     stream counts as gone after this long (at least 1 s)
     * @throws org.spikeloop.server.ServerException naming the {@code spec.lsl_labels} field
     */
    public static LslLabelSource open(
            String sessionId,
            LslLabelConfig config,
            SampleRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            RowRecorder recorder,
            double stallS) {
        Inlet inlet =
                LslEndpoints.openLabelInlet(config, ring.width(), LslEndpoints.CONNECT_TIMEOUT_S);
        return open(
                sessionId, config, inlet, ring, clock, engineCounters, counters, recorder, stallS);
    }

    /**
     * {@link #open} over an inlet the caller connected ({@link LslEndpoints#openLabelInlet}), e.g.
     * to record the source's header first; the source owns the inlet from here on (closed with it,
     * or here if this throws).
     */
    public static LslLabelSource open(
            String sessionId,
            LslLabelConfig config,
            Inlet inlet,
            SampleRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            RowRecorder recorder,
            double stallS) {
        StreamPresence presence = null;
        try {
            if (config.kind() == LslLabelConfig.Kind.MARKERS) {
                String sourceId = inlet.info().sourceId();
                presence =
                        new StreamPresence(
                                sourceId.isEmpty() ? "name" : "source_id",
                                sourceId.isEmpty() ? config.name() : sourceId,
                                Math.max(1.0, stallS),
                                "spikeloop-lsl-presence-" + sessionId);
            }
            return new LslLabelSource(
                    sessionId,
                    config,
                    inlet,
                    ring,
                    clock,
                    engineCounters,
                    counters,
                    recorder,
                    presence == null ? null : presence::present,
                    presence,
                    (long) (stallS * TimeUnit.SECONDS.toNanos(1)));
        } catch (RuntimeException e) {
            if (presence != null) {
                presence.close();
            }
            inlet.close();
            throw e;
        }
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
        return markers ? pullMarkers() : pullTargets();
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

    private int pullMarkers() {
        int n = inlet.pullChunk(cues, stamps, 0.0);
        long nowNs = clock.nanoTime();
        for (int s = 0; s < n; s++) {
            String cue = cues[s];
            double ts = stamps[s];
            cues[s] = null;
            if (!acceptStamp(ts)) {
                continue;
            }
            if (endCues.contains(cue)) {
                if (inTrial) {
                    endTrial(Math.min(ts, trialEndS), nowNs);
                }
                continue;
            }
            Integer cls = cueClasses.get(cue);
            if (cls == null) {
                EngineCounters.increment(counters.unknownCues);
                counters.lastUnknownCue = cue;
                continue;
            }
            if (inTrial && trialEndS <= ts) {
                endTrial(trialEndS, nowNs); // the previous window ran out before this cue
            }
            Arrays.fill(row, 0f);
            row[cls] = 1f;
            if (offerTarget(ts, nowNs)) {
                inTrial = true;
                counters.inTrial = true;
                trialEndS = ts + trialS;
            }
        }
        if (inTrial && nowNs * 1e-9 >= trialEndS) {
            endTrial(trialEndS, nowNs);
        }
        boolean here = present.getAsBoolean();
        if (!here && !stalled) {
            stall(nowNs * 1e-9);
        } else if (here) {
            resume();
        }
        flushRecorder();
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

    private void endTrial(double endS, long arrivalNs) {
        inTrial = false;
        counters.inTrial = false;
        offerClear(endS, arrivalNs);
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
        if (markers) {
            if (inTrial) {
                endTrial(Math.min(nowS, trialEndS), clock.nanoTime());
            }
        } else {
            offerClear(nowS, clock.nanoTime());
        }
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
            if (presenceResource != null) {
                presenceResource.close();
            }
        } catch (Exception e) {
            // closing the presence check must not keep the inlet open; say why it failed
            LOG.warn("{}: closing the stream presence check failed", roleName, e);
        } finally {
            inlet.close();
        }
    }
}
