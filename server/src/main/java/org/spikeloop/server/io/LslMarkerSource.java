package org.spikeloop.server.io;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.learn.trials.MarkerText;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.learn.trials.TrialSegmenter;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.TrialEventRing;
import org.spikeloop.server.recording.SessionRecording;

/**
 * The label source of a session whose labels are cue markers (an LSL marker stream: one channel,
 * irregular rate, strings or numbers): pulls without waiting, cuts trial windows with the session's
 * {@link TrialProtocol} ({@link TrialSegmenter}, the same rules a training job applies to a
 * recording) and is the single producer of the session's {@link TrialEventRing}: a cue offers its
 * window [stamp + start offset, + trial length) at once, an end cue or an overlapping cue offers
 * the early end, and the engine applies both by the samples' time stamps. A numeric marker is
 * matched by its value ({@link MarkerText}: 769.0 matches the cue "769").
 *
 * <p>Every marker pulled, as it arrived (its text or number and its time stamp), goes to the
 * recording's marker stream, whose header is the source stream's own.
 *
 * <p>Counted, never applied: non-finite numeric markers ({@code rejected_non_finite}), non-finite
 * stamps or stamps older than the previous marker's ({@code rejected_out_of_order}), markers in
 * none of the protocol's tables ({@code unknown_cues}, the last one kept). A full event ring drops
 * and counts ({@code dropped_ring_full}). A marker stream is silent between cues, so its
 * disappearance is told by {@link StreamPresence}: a vanished stream counts a stall and ends the
 * open window at the detection time.
 *
 * <p>Threading: its agent runs on its session's engine thread (or, not co-located, the sources'
 * pool thread); the counters are read from any thread. Allocation: a pull that returns markers
 * allocates their texts, the segmenter's {@link Trial} and the recording's copy (markers come a few
 * per second); a cycle that pulls nothing allocates nothing and takes no lock (the inlet's polls
 * bind liblsl with primitive results and native buffers, and a string poll of the open, recovering
 * inlet calls no liblsl pull while nothing is queued: {@code LslMarkerSourceTest}).
 */
public final class LslMarkerSource implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(LslMarkerSource.class);

    static final int CHUNK_MARKERS = 64;

    private final String roleName;
    private final Inlet inlet;
    private final TrialEventRing ring;
    private final TrialSegmenter segmenter;
    private final EngineClock clock;
    private final AtomicLong in;
    private final AtomicLong dropped;
    private final LslLabelCounters counters;
    private final SessionRecording recording; // null when the session does not record
    private final int markerStream;
    private final BooleanSupplier present;
    private final AutoCloseable presenceResource; // closed with the source; may be null
    private final ChannelFormat format;
    private final String[] texts;
    private final float[] floats; // FLOAT32 streams
    private final double[] doubles; // other numeric streams
    private final double[] stamps;
    private boolean stalled;

    /**
     * @param inlet an open inlet of a one-channel irregular stream (closed by {@link #onClose})
     * @param recording the session's recording with a marker stream, or null
     * @param present whether the stream is still on the network (read every cycle)
     * @param presenceResource what answers {@code present}, closed with the source; may be null
     */
    LslMarkerSource(
            String sessionId,
            TrialProtocol protocol,
            Inlet inlet,
            TrialEventRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            SessionRecording recording,
            BooleanSupplier present,
            AutoCloseable presenceResource) {
        this.roleName = "spikeloop-lsl-markers-" + sessionId;
        this.inlet = inlet;
        this.ring = ring;
        this.segmenter = new TrialSegmenter(protocol);
        this.clock = clock;
        this.in = engineCounters.labelsIn;
        this.dropped = engineCounters.labelsDropped;
        this.counters = counters;
        this.recording = recording;
        this.markerStream = recording == null ? 0 : recording.markersStream();
        this.present = present;
        this.presenceResource = presenceResource;
        this.format = inlet.info().format();
        this.texts = new String[CHUNK_MARKERS];
        this.floats = format == ChannelFormat.FLOAT32 ? new float[CHUNK_MARKERS] : null;
        this.doubles =
                format != ChannelFormat.FLOAT32 && format != ChannelFormat.STRING
                        ? new double[CHUNK_MARKERS]
                        : null;
        this.stamps = new double[CHUNK_MARKERS];
    }

    /**
     * Starts the marker source over an open label inlet ({@link LslEndpoints#openLabelInlet}) with
     * the {@link StreamPresence} check that tells a vanished stream from a quiet one. Closes the
     * inlet if it fails.
     *
     * @param recording the session's recording (its marker stream), or null
     * @param stallS a vanished stream counts as gone after this long (at least 1 s)
     */
    public static LslMarkerSource start(
            String sessionId,
            TrialProtocol protocol,
            Inlet inlet,
            TrialEventRing ring,
            EngineClock clock,
            EngineCounters engineCounters,
            LslLabelCounters counters,
            SessionRecording recording,
            double stallS) {
        StreamPresence presence = null;
        try {
            String sourceId = inlet.info().sourceId();
            presence =
                    new StreamPresence(
                            sourceId.isEmpty() ? "name" : "source_id",
                            sourceId.isEmpty() ? inlet.info().name() : sourceId,
                            Math.max(1.0, stallS),
                            "spikeloop-lsl-presence-" + sessionId);
            return new LslMarkerSource(
                    sessionId,
                    protocol,
                    inlet,
                    ring,
                    clock,
                    engineCounters,
                    counters,
                    recording,
                    presence::present,
                    presence);
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
        int n = pull();
        long nowNs = clock.nanoTime();
        if (n > 0) {
            record(n);
            for (int i = 0; i < n; i++) {
                String text = texts[i];
                texts[i] = null;
                if (text != null) {
                    accept(stamps[i], text);
                }
            }
        }
        boolean here = present.getAsBoolean();
        if (!here && !stalled) {
            stall(nowNs * 1e-9);
        } else if (here && stalled) {
            stalled = false;
            counters.stalled = false;
        }
        return n;
    }

    /** Pulls a chunk; each marker's text into {@link #texts} (null: not a usable marker). */
    private int pull() {
        if (format == ChannelFormat.STRING) {
            return inlet.pullChunk(texts, stamps, 0.0);
        }
        int n;
        if (floats != null) {
            n = inlet.pullChunk(floats, stamps, 0.0);
        } else {
            n = inlet.pullChunk(doubles, stamps, 0.0);
        }
        for (int i = 0; i < n; i++) {
            double v = floats != null ? floats[i] : doubles[i];
            if (Double.isFinite(v)) {
                texts[i] = floats != null ? MarkerText.of(floats[i]) : MarkerText.of(v);
            } else {
                texts[i] = null;
                EngineCounters.increment(counters.rejectedNonFinite);
            }
        }
        return n;
    }

    /** Hands the markers pulled, as they arrived, to the recording's marker stream. */
    private void record(int n) {
        if (recording == null) {
            return;
        }
        Object values =
                switch (format) {
                    case STRING -> texts;
                    case FLOAT32 -> floats;
                    case DOUBLE64 -> doubles;
                    default -> integers(n);
                };
        recording.offer(markerStream, values, stamps, n);
    }

    /** The pulled values in the stream's integer format (what its header says the file holds). */
    private Object integers(int n) {
        switch (format) {
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) doubles[i];
                }
                return a;
            }
            case INT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) doubles[i];
                }
                return a;
            }
            case INT8 -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) doubles[i];
                }
                return a;
            }
            default -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (long) doubles[i];
                }
                return a;
            }
        }
    }

    private void accept(double stampS, String marker) {
        TrialSegmenter.Outcome outcome = segmenter.accept(stampS, marker);
        switch (outcome) {
            case OPENED -> open(segmenter.current());
            case OVERLAP -> {
                Trial next = segmenter.current();
                offerClose(next.startS()); // the open window ends where the next one starts
                open(next);
            }
            case ENDED, VOIDED -> offerClose(stampS);
            case UNKNOWN -> {
                EngineCounters.increment(counters.unknownCues);
                counters.lastUnknownCue = marker;
            }
            case OUT_OF_ORDER -> EngineCounters.increment(counters.rejectedOutOfOrder);
            case NOTHING_OPEN, IGNORED -> {}
        }
    }

    private void open(Trial t) {
        if (ring.offerOpen(t.index(), t.classIndex(), t.cue(), t.startS(), t.endS())) {
            EngineCounters.increment(in);
        } else {
            EngineCounters.increment(dropped);
        }
    }

    private void offerClose(double atS) {
        if (!ring.offerClose(atS)) {
            EngineCounters.increment(dropped);
        }
    }

    /** The stream vanished: count it and end the open window now. */
    private void stall(double nowS) {
        stalled = true;
        counters.stalled = true;
        EngineCounters.increment(counters.stalls);
        Trial open = segmenter.current();
        if (open != null && nowS < open.endS()) {
            offerClose(nowS);
        }
        segmenter.finish(); // the returning stream's next cue starts afresh
    }

    @Override
    public void onClose() {
        try {
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
