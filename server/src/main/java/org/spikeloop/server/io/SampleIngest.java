package org.spikeloop.server.io;

import java.util.concurrent.atomic.AtomicBoolean;
import org.spikeloop.adapters.lsl.NonFiniteFilter;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.recording.RowRecorder;

/**
 * One client stream pushing rows into a session's ring (samples or labels): checks each chunk
 * against the session's shape and takes its cost from the session's ingest budget ({@link
 * IngestBudget}, which outlives the stream), filters non-finite rows (counted, never handed on),
 * and offers the rest to the ring through the session's front-end, if any ({@link FrontEndFeed}; a
 * full ring drops and counts; the engine is never waited for). With a front-end the rows are source
 * samples (channel count and rate of the source) and the recording keeps them raw. The session
 * allows one open stream per ring, which keeps the ring single-producer. Accepted rows are also
 * copied, a chunk at a time, into the session's recording ({@link RowRecorder}; never blocking, a
 * full recorder queue drops and counts the chunk). Every row's stamp first passes the stream's
 * {@link SourceStamps} rule (a bad stamp is repaired and counted, never handed on or recorded as
 * sent); the rule's state belongs to the session, so it holds across reconnects. A chunk that
 * handed rows on wakes the engine's thread ({@code rowsOffered}), so an engine that parks between
 * its expected samples ({@code engine.idleStrategy=paced}) does not wait out its park for them.
 * Each chunk first passes the session's {@link IngestGate}: once the session is stopped or in
 * ERROR, its engine decodes no more rows, so the chunk is refused (FAILED_PRECONDITION naming the
 * session and its state) instead of being counted accepted (in ERROR the engine would discard it)
 * or dropped (a stopped session's ring has no reader).
 *
 * <p>Threading: one caller at a time (gRPC serialises a stream's messages). Allocation: none per
 * row.
 */
public final class SampleIngest implements AutoCloseable {
    private final String what; // "samples" or "labels"
    private final String widthField;
    private final FrontEndFeed feed;
    private final int width; // values per incoming row (source channels)
    private final double rateHz; // 0 = any
    private final EngineClock clock;
    private final IngestBudget budget;
    private final java.util.concurrent.atomic.AtomicLong in;
    private final java.util.concurrent.atomic.AtomicLong dropped;
    private final java.util.concurrent.atomic.AtomicLong nonFinite;
    private final java.util.concurrent.atomic.AtomicLong stampsRepaired;
    private final SourceStamps stamps;
    private final AtomicBoolean claim;
    private final float[] row;
    private final RowRecorder recorder; // null when the session does not record
    private final Runnable rowsOffered;
    private final IngestGate gate;
    private long accepted;
    private long acceptedAtLastWake;
    private long droppedHere;
    private long nonFiniteHere;
    private long repairedHere;
    private long chunks;
    private long chunkArrivalNs;
    private boolean closed;

    /**
     * @param gate checked before each chunk and when the stream completes ({@link #requireOpen}): a
     *     session that no longer takes rows ends the stream with its refusal
     */
    public SampleIngest(
            String what,
            String widthField,
            FrontEndFeed feed,
            double rateHz,
            IngestBudget budget,
            EngineClock clock,
            java.util.concurrent.atomic.AtomicLong in,
            java.util.concurrent.atomic.AtomicLong dropped,
            java.util.concurrent.atomic.AtomicLong nonFinite,
            SourceStamps stamps,
            java.util.concurrent.atomic.AtomicLong stampsRepaired,
            AtomicBoolean claim,
            RowRecorder recorder,
            Runnable rowsOffered,
            IngestGate gate) {
        this.what = what;
        this.widthField = widthField;
        this.feed = feed;
        this.width = feed.sourceWidth();
        this.rateHz = rateHz;
        this.clock = clock;
        this.budget = budget;
        this.in = in;
        this.dropped = dropped;
        this.nonFinite = nonFinite;
        this.stamps = stamps;
        this.stampsRepaired = stampsRepaired;
        this.claim = claim;
        this.row = new float[width];
        this.recorder = recorder;
        this.rowsOffered = rowsOffered;
        this.gate = gate;
    }

    /** Floats per row. */
    public int width() {
        return width;
    }

    /** The row buffer callers fill before {@link #offerRow}. */
    public float[] rowBuffer() {
        return row;
    }

    /** A chunk's header with no message size (in-process callers: costs rows only). */
    public int beginChunk(int width, int valueCount, int timestampCount, double nominalRateHz) {
        return beginChunk(width, valueCount, timestampCount, nominalRateHz, 0);
    }

    /**
     * Validates a chunk's header and takes its cost from the session's ingest budget ({@link
     * IngestBudget}: at least one row, and its bytes).
     *
     * @param width the chunk's channel count / label dimension
     * @param valueCount number of values in the chunk
     * @param timestampCount number of time stamps (0 = stamp rows with their arrival time)
     * @param nominalRateHz the sender's rate, 0 = not stated
     * @param messageBytes the chunk's serialised size
     * @return number of rows in the chunk
     * @throws ServerException FAILED_PRECONDITION when the session no longer takes rows (stopped or
     *     in ERROR: {@link IngestGate}), INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED over
     *     the session's ingest budget
     */
    public int beginChunk(
            int width,
            int valueCount,
            int timestampCount,
            double nominalRateHz,
            long messageBytes) {
        gate.requireOpen(); // first: the session's state outranks what is wrong with the chunk
        if (width != this.width) {
            throw ServerException.invalid(
                    widthField
                            + ": the session expects "
                            + this.width
                            + ", the chunk says "
                            + width);
        }
        if (valueCount % width != 0) {
            throw ServerException.invalid(
                    "values: " + valueCount + " values is not a whole number of rows of " + width);
        }
        int rows = valueCount / width;
        if (timestampCount != 0 && timestampCount != rows) {
            throw ServerException.invalid(
                    "timestamps: "
                            + timestampCount
                            + " time stamps for "
                            + rows
                            + " rows (need one per row, or none)");
        }
        if (nominalRateHz != 0 && rateHz > 0 && Math.abs(nominalRateHz - rateHz) > 1e-6 * rateHz) {
            throw ServerException.invalid(
                    "nominal_rate_hz: the session samples at "
                            + rateHz
                            + " Hz, the chunk says "
                            + nominalRateHz);
        }
        if (!Double.isFinite(nominalRateHz) || nominalRateHz < 0) {
            throw ServerException.invalid(
                    "nominal_rate_hz: must be a finite value >= 0, got " + nominalRateHz);
        }
        long now = clock.nanoTime();
        budget.take(what, rows, messageBytes, now);
        chunkArrivalNs = now;
        chunks++;
        return rows;
    }

    /**
     * Offers {@link #rowBuffer()} as one row with the stamp the client sent.
     *
     * @param sourceTimestampS the row's source time stamp as sent (any value: the stream's {@link
     *     SourceStamps} rule repairs and counts a bad one)
     */
    public void offerRow(double sourceTimestampS) {
        final float[] r = row;
        if (NonFiniteFilter.countNonFinite(r, 0, r.length) > 0) {
            EngineCounters.increment(nonFinite);
            nonFiniteHere++;
            return;
        }
        final long before = stamps.repaired();
        final double ts = stamps.next(sourceTimestampS, chunkArrivalNs * 1e-9);
        if (stamps.repaired() != before) {
            EngineCounters.increment(stampsRepaired);
            repairedHere++;
        }
        if (feed.offer(r, ts, chunkArrivalNs)) {
            EngineCounters.increment(in);
            accepted++;
            if (recorder != null) {
                recorder.add(r, ts);
            }
        } else {
            EngineCounters.increment(dropped);
            droppedHere++;
        }
    }

    /**
     * Offers {@link #rowBuffer()} as one row of a chunk sent without stamps: the row is stamped
     * with its chunk's arrival time (on the server's monotonic clock, which LSL's {@code
     * local_clock()} reads), through the same rule.
     */
    public void offerUnstampedRow() {
        offerRow(chunkArrivalNs * 1e-9);
    }

    /**
     * Ends a chunk: its accepted rows go to the session's recording (never blocks), and the engine
     * is woken if any were handed on (allocation-free: an unpark).
     */
    public void endChunk() {
        if (recorder != null) {
            recorder.flush();
        }
        if (accepted != acceptedAtLastWake) {
            acceptedAtLastWake = accepted;
            rowsOffered.run();
        }
    }

    /**
     * Whether the session still takes this stream's rows; a stream checks it before it reports its
     * rows accepted (the session may have failed or stopped since its last chunk).
     *
     * @throws ServerException FAILED_PRECONDITION as {@link #beginChunk}
     */
    public void requireOpen() {
        gate.requireOpen();
    }

    public long accepted() {
        return accepted;
    }

    public long dropped() {
        return droppedHere;
    }

    public long nonFinite() {
        return nonFiniteHere;
    }

    /** Rows of this stream whose stamp the {@link SourceStamps} rule repaired. */
    public long timestampsRepaired() {
        return repairedHere;
    }

    public long chunks() {
        return chunks;
    }

    /** Releases the session's ingest slot so another stream may open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            endChunk();
            claim.set(false);
        }
    }
}
