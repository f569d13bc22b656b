package org.spikeloop.server.engine;

/**
 * A reader of a {@link FrameRing} (its own {@link FrameCursor}) that gathers frames' outputs and
 * source time stamps into flat, preallocated arrays for a chunked hand-off: the XDF recording and
 * the LSL outlet take a chunk per call, not a frame. Like any cursor it never slows the engine:
 * lapped, it skips ahead and counts the lost frames ({@link #framesLost}).
 *
 * <p>Threading: one reader thread. Allocation: none.
 */
public final class FrameChunk {
    private final FrameCursor cursor;
    private final Frame frame;
    private final int outputs;
    private final float[] values;
    private final double[] stamps;
    private int size;

    public FrameChunk(FrameRing ring, int capacityFrames) {
        this.cursor = ring.newCursor();
        this.frame = new Frame(ring.outputs());
        this.outputs = ring.outputs();
        this.values = new float[capacityFrames * outputs];
        this.stamps = new double[capacityFrames];
    }

    /** Appends the frames waiting in the ring until the chunk is full; returns how many. */
    public int fill() {
        int added = 0;
        while (size < stamps.length && cursor.poll(frame)) {
            System.arraycopy(frame.outputs, 0, values, size * outputs, outputs);
            stamps[size++] = frame.sourceTimestampS;
            added++;
        }
        return added;
    }

    /** Frames in the chunk. */
    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == stamps.length;
    }

    /** The outputs of the frames in the chunk, frame-major ({@code size() * outputs} values). */
    public float[] values() {
        return values;
    }

    /** The source time stamp of each frame in the chunk (s). */
    public double[] stamps() {
        return stamps;
    }

    /** Empties the chunk (after its contents were handed on). */
    public void clear() {
        size = 0;
    }

    /** Frames this reader lost by falling a whole ring behind. */
    public long framesLost() {
        return cursor.dropped();
    }
}
