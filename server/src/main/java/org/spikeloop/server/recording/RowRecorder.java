package org.spikeloop.server.recording;

/**
 * Collects the rows one producer hands to the decoder (accepted samples or labels) and passes them
 * to the {@link SessionRecording} a chunk at a time, so the recorder's queue holds chunks, not
 * rows. {@link #add} copies into a preallocated buffer; {@link #flush} offers it (the recording
 * copies and never blocks) and runs when the buffer is full, at the end of each gRPC ingest chunk,
 * and, for pollers such as the LSL sources, through {@link #flushIfDue} once the oldest buffered
 * row has waited {@link #FLUSH_AFTER_NS}: a poll returns one sample at a time at 1 kHz, and a
 * hand-off per poll would cost the polling thread (the engine thread when co-located) a copy, a
 * lock and a wake-up of the recorder thread every millisecond.
 *
 * <p>Threading: one producer thread (the session allows one open stream per ring). Allocation: none
 * in {@link #add} and {@link #flushIfDue} until it flushes; {@link #flush} allocates the recorder's
 * copy.
 */
public final class RowRecorder {
    /** Rows buffered before a flush is forced. */
    static final int CAPACITY_ROWS = 1024;

    /** Longest a buffered row waits for {@link #flushIfDue} to hand it on. */
    static final long FLUSH_AFTER_NS = 50_000_000L;

    private static final long NONE_PENDING = Long.MIN_VALUE;

    private final SessionRecording recording;
    private final int streamId;
    private final int width;
    private final float[] values;
    private final double[] stamps;
    private int rows;
    private long pendingSinceNs = NONE_PENDING;

    public RowRecorder(SessionRecording recording, int streamId, int width) {
        this.recording = recording;
        this.streamId = streamId;
        this.width = width;
        this.values = new float[CAPACITY_ROWS * width];
        this.stamps = new double[CAPACITY_ROWS];
    }

    /** Buffers one row ({@code row[0..width)}) with its time stamp (seconds). */
    public void add(float[] row, double timestampS) {
        System.arraycopy(row, 0, values, rows * width, width);
        stamps[rows] = timestampS;
        if (++rows == CAPACITY_ROWS) {
            flush();
        }
    }

    /**
     * Hands the buffered rows on once the first of them has waited {@link #FLUSH_AFTER_NS} since
     * the first call that saw it ({@code nowNs}: the caller's monotonic clock; call it every poll).
     */
    public void flushIfDue(long nowNs) {
        if (rows == 0) {
            return;
        }
        if (pendingSinceNs == NONE_PENDING) {
            pendingSinceNs = nowNs;
        } else if (nowNs - pendingSinceNs >= FLUSH_AFTER_NS) {
            flush();
        }
    }

    /** Rows buffered and not yet handed on. */
    public int bufferedRows() {
        return rows;
    }

    /** Hands the buffered rows to the recording. */
    public void flush() {
        if (rows > 0) {
            recording.offer(streamId, values, stamps, rows);
            rows = 0;
        }
        pendingSinceNs = NONE_PENDING;
    }
}
