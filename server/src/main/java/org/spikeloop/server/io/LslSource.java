package org.spikeloop.server.io;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.NonFiniteFilter;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.recording.RowRecorder;

/**
 * The source agent of an LSL session: pulls chunks from its {@link Inlet} without waiting and
 * offers each sample to the session's input ring through the session's front-end, if any ({@link
 * FrontEndFeed}), the ring's single producer. The recording keeps the raw samples. Time stamps come
 * with liblsl's clock-sync post-processing, so they are on this host's clock; each then passes the
 * stream's {@link SourceStamps} rule (a bad stamp is repaired and counted). Non-finite samples are
 * counted and not passed on; a full ring drops and counts. When the outlet vanishes the pulls
 * return nothing (the engine turns STALLED); liblsl reconnects the inlet when an outlet with the
 * same source id returns.
 *
 * <p>Each cycle empties liblsl's buffer: it pulls again while a pull returns a full chunk, up to
 * {@link #MAX_PULLS_PER_CYCLE} chunks (the input ring's default span), so whatever waits — the
 * samples that arrived while the session was being created, or a backlog after the thread was kept
 * from running — is in the input ring at once, where the engine sees how far behind it is and can
 * skip to the live edge ({@code LiveEdge}).
 *
 * <p>Accepted samples also go to the session's recording, in chunks of up to 50 ms ({@link
 * RowRecorder#flushIfDue}; never blocking), and the rest when the source closes.
 *
 * <p>Threading: one agent pool thread (its session's engine thread when co-located). Allocation:
 * none per pull (the arrays are preallocated; the recording reuses its chunks).
 */
public final class LslSource implements Agent {
    static final int CHUNK_SAMPLES = 256;

    /** Pulls per cycle at most: 32 full chunks, 8192 samples (the default input ring). */
    static final int MAX_PULLS_PER_CYCLE = 32;

    private final String roleName;
    private final Inlet inlet;
    private final FrontEndFeed feed;
    private final EngineClock clock;
    private final AtomicLong in;
    private final AtomicLong dropped;
    private final AtomicLong nonFinite;
    private final AtomicLong stampsRepaired;
    private final SourceStamps stamps;
    private final int channels;
    private final float[] data;
    private final double[] timestamps;
    private final float[] row;
    private final NonFiniteFilter finite;
    private final RowRecorder recorder; // null when the session does not record
    private long emptiedNs; // the last pull that left liblsl's buffer empty

    /**
     * @param inlet the session's connected sample inlet ({@link LslEndpoints#openSampleInlet});
     *     closed by {@link #onClose}
     * @param rateHz the stream's nominal rate (0: irregular), for repairing a bad stamp
     * @param recorder the recording's samples stream, or null when the session does not record
     */
    public LslSource(
            String sessionId,
            Inlet inlet,
            FrontEndFeed feed,
            double rateHz,
            EngineClock clock,
            EngineCounters c,
            RowRecorder recorder) {
        this.roleName = "spikeloop-lsl-" + sessionId;
        this.inlet = inlet;
        this.feed = feed;
        this.clock = clock;
        this.in = c.samplesIn;
        this.dropped = c.samplesDropped;
        this.nonFinite = c.samplesNonFinite;
        this.stampsRepaired = c.samplesTimestampsRepaired;
        this.stamps = new SourceStamps(rateHz);
        this.channels = feed.sourceWidth();
        this.data = new float[CHUNK_SAMPLES * channels];
        this.timestamps = new double[CHUNK_SAMPLES];
        this.row = new float[channels];
        this.finite = new NonFiniteFilter(channels);
        this.recorder = recorder;
        this.emptiedNs = clock.nanoTime();
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        final long sinceNs = emptiedNs;
        int total = 0;
        long nowNs = sinceNs;
        for (int pulls = 0; pulls < MAX_PULLS_PER_CYCLE; pulls++) {
            int n = inlet.pullChunk(data, timestamps, 0.0);
            nowNs = clock.nanoTime();
            if (n > 0) {
                offer(n, sinceNs, nowNs);
                total += n;
            }
            if (n < CHUNK_SAMPLES) {
                emptiedNs = nowNs; // nothing else was waiting at this pull
                break;
            }
        }
        if (recorder != null) {
            recorder.flushIfDue(nowNs);
        }
        return total;
    }

    /** Hands the {@code n} pulled samples to the ring (through the front-end) and the recording. */
    private void offer(int n, long sinceNs, long nowNs) {
        final int ch = channels;
        final int kept = finite.compact(data, timestamps, n); // the finite samples, in order
        if (kept < n) {
            EngineCounters.add(nonFinite, n - kept);
        }
        final double nowS = nowNs * 1e-9;
        for (int s = 0; s < kept; s++) {
            System.arraycopy(data, s * ch, row, 0, ch);
            final long before = stamps.repaired();
            final double ts = stamps.next(timestamps[s], nowS);
            if (stamps.repaired() != before) {
                EngineCounters.increment(stampsRepaired);
            }
            if (feed.offer(row, ts, earliestArrivalNs(ts, sinceNs, nowNs))) {
                EngineCounters.increment(in);
                if (recorder != null) {
                    recorder.add(row, ts);
                }
            } else {
                EngineCounters.increment(dropped);
            }
        }
    }

    /**
     * The arrival time a pulled sample is charged with for its deadline: the earliest it can have
     * reached liblsl's buffer in this process, i.e. not before the last pull that left the buffer
     * empty (which did not return it) and not before its own source time stamp (clock-synced to
     * this host), and at most now. Charging the earliest time keeps the deadline honest when the
     * thread that polls is busy (e.g. stepping other sessions on the same engine thread): the wait
     * in liblsl's buffer counts as queueing, as the wait in the input ring does.
     */
    static long earliestArrivalNs(double sourceTimestampS, long previousPollNs, long nowNs) {
        long stampNs = Math.round(sourceTimestampS * 1e9);
        long earliest = Math.max(previousPollNs, stampNs);
        return Math.min(earliest, nowNs);
    }

    @Override
    public void onClose() {
        try {
            if (recorder != null) {
                recorder.flush(); // before Session.stop closes the recording
            }
        } finally {
            inlet.close();
        }
    }
}
