package org.spikeloop.server.recording;

/**
 * Collects the rows one producer hands to the decoder (accepted samples or labels) and passes them
 * to the {@link SessionRecording} a chunk at a time, so the recorder's queue holds chunks, not
 * rows. {@link #add} copies into a preallocated buffer; {@link #flush} offers it (the recording
 * copies and never blocks) and is called at the end of each incoming chunk and when the buffer is
 * full.
 *
 * <p>Threading: one producer thread (the session allows one open stream per ring). Allocation: none
 * in {@link #add}; {@link #flush} allocates the recorder's copy (ingest side, not the engine).
 */
public final class RowRecorder {
    /** Rows buffered before a flush is forced. */
    static final int CAPACITY_ROWS = 1024;

    private final SessionRecording recording;
    private final int streamId;
    private final int width;
    private final float[] values;
    private final double[] stamps;
    private int rows;

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

    /** Hands the buffered rows to the recording. */
    public void flush() {
        if (rows > 0) {
            recording.offer(streamId, values, stamps, rows);
            rows = 0;
        }
    }
}
