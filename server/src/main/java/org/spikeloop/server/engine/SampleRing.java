package org.spikeloop.server.engine;

/**
 * Bounded single-producer single-consumer ring of fixed-width float rows, each with a source time
 * stamp (seconds, the source's LSL clock) and an arrival time (ns, this host's monotonic clock).
 * All storage is preallocated; {@link #offer} returns false when full instead of blocking.
 *
 * <p>Threading: exactly one producer thread calls {@link #offer}; exactly one consumer thread (the
 * engine) calls {@link #peek}/{@link #readInto}/{@link #advance}. Positions are published with
 * release/acquire ordering ({@link SpscPositions}). Allocation: none after construction.
 */
public final class SampleRing extends SpscPositions {
    private final int width;
    private final float[] values;
    private final double[] sourceTimestampsS;
    private final long[] arrivalNs;

    /**
     * @param width floats per row (&ge; 1)
     * @param capacityRows rows; rounded up to a power of two
     */
    public SampleRing(int width, int capacityRows) {
        super(checkedCapacity(width, capacityRows));
        this.width = width;
        this.values = new float[capacity() * width];
        this.sourceTimestampsS = new double[capacity()];
        this.arrivalNs = new long[capacity()];
    }

    /** The rounded capacity, after refusing a width or capacity the ring cannot have. */
    private static int checkedCapacity(int width, int capacityRows) {
        if (width < 1) {
            throw new IllegalArgumentException("ring width must be >= 1, got " + width);
        }
        if (capacityRows < 2) {
            throw new IllegalArgumentException("ring capacity must be >= 2, got " + capacityRows);
        }
        return RingCapacity.roundUp(capacityRows);
    }

    /** Floats per row. */
    public int width() {
        return width;
    }

    /**
     * Appends one row (producer thread only).
     *
     * @param src array holding the row at {@code offset} (not modified)
     * @return false when the ring is full (the row is not stored)
     */
    public boolean offer(float[] src, int offset, double sourceTimestampS, long arrivalTimeNs) {
        long t = claim();
        if (t < 0) {
            return false;
        }
        int slot = slot(t);
        System.arraycopy(src, offset, values, slot * width, width);
        sourceTimestampsS[slot] = sourceTimestampS;
        arrivalNs[slot] = arrivalTimeNs;
        publish(t);
        return true;
    }

    /** Source time stamp (s) of the oldest unread row; only valid when not {@link #isEmpty}. */
    public double peekSourceTimestampS() {
        return sourceTimestampsS[headSlot()];
    }

    /**
     * Copies the oldest unread row into {@code dst} (modified, length &ge; width) without consuming
     * it; only valid when not {@link #isEmpty}.
     */
    public void readInto(float[] dst) {
        System.arraycopy(values, headSlot() * width, dst, 0, width);
    }

    /** Arrival time (ns) of the oldest unread row. */
    public long peekArrivalNs() {
        return arrivalNs[headSlot()];
    }

    /**
     * Arrival time (ns) of the unread row {@code offset} rows after the oldest; only valid when
     * {@code offset < available()}.
     */
    public long peekArrivalNs(int offset) {
        return arrivalNs[headSlot(offset)];
    }

    /** Consumes the oldest row. */
    public void advance() {
        advanceHead(1);
    }

    /** Consumes the {@code rows} oldest rows unread (at most {@link #available()}). */
    public void skip(int rows) {
        advanceHead(rows);
    }
}
