package org.spikeloop.server.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded single-producer single-consumer ring of fixed-width float rows, each with a source time
 * stamp (seconds, the source's LSL clock) and an arrival time (ns, this host's monotonic clock).
 * All storage is preallocated; {@link #offer} returns false when full instead of blocking.
 *
 * <p>Threading: exactly one producer thread calls {@link #offer}; exactly one consumer thread (the
 * engine) calls {@link #peek}/{@link #readInto}/{@link #advance}. Positions are published with
 * release/acquire ordering (AtomicLong lazySet/get). Allocation: none after construction.
 */
public final class SampleRing {
    private final int width;
    private final int capacity;
    private final int mask;
    private final float[] values;
    private final double[] sourceTimestampsS;
    private final long[] arrivalNs;
    private final AtomicLong head = new AtomicLong(); // next position the consumer reads
    private final AtomicLong tail = new AtomicLong(); // next position the producer writes
    private long cachedHead; // producer's view of head, refreshed only when the ring looks full

    /**
     * @param width floats per row (&ge; 1)
     * @param capacityRows rows; rounded up to a power of two
     */
    public SampleRing(int width, int capacityRows) {
        if (width < 1) {
            throw new IllegalArgumentException("ring width must be >= 1, got " + width);
        }
        if (capacityRows < 2) {
            throw new IllegalArgumentException("ring capacity must be >= 2, got " + capacityRows);
        }
        this.width = width;
        this.capacity = Integer.highestOneBit(capacityRows - 1) << 1;
        this.mask = capacity - 1;
        this.values = new float[capacity * width];
        this.sourceTimestampsS = new double[capacity];
        this.arrivalNs = new long[capacity];
    }

    /** Floats per row. */
    public int width() {
        return width;
    }

    /** Rows the ring holds. */
    public int capacity() {
        return capacity;
    }

    /**
     * Appends one row (producer thread only).
     *
     * @param src array holding the row at {@code offset} (not modified)
     * @return false when the ring is full (the row is not stored)
     */
    public boolean offer(float[] src, int offset, double sourceTimestampS, long arrivalTimeNs) {
        long t = tail.get();
        if (t - cachedHead >= capacity) {
            cachedHead = head.get();
            if (t - cachedHead >= capacity) {
                return false;
            }
        }
        int slot = (int) (t & mask);
        System.arraycopy(src, offset, values, slot * width, width);
        sourceTimestampsS[slot] = sourceTimestampS;
        arrivalNs[slot] = arrivalTimeNs;
        tail.lazySet(t + 1);
        return true;
    }

    /** Rows available to the consumer. */
    public int available() {
        return (int) (tail.get() - head.get());
    }

    /** Whether a row is available to the consumer. */
    public boolean isEmpty() {
        return tail.get() == head.get();
    }

    /** Source time stamp (s) of the oldest unread row; only valid when not {@link #isEmpty}. */
    public double peekSourceTimestampS() {
        return sourceTimestampsS[(int) (head.get() & mask)];
    }

    /**
     * Copies the oldest unread row into {@code dst} (modified, length &ge; width) without consuming
     * it; only valid when not {@link #isEmpty}.
     */
    public void readInto(float[] dst) {
        int slot = (int) (head.get() & mask);
        System.arraycopy(values, slot * width, dst, 0, width);
    }

    /** Arrival time (ns) of the oldest unread row. */
    public long peekArrivalNs() {
        return arrivalNs[(int) (head.get() & mask)];
    }

    /**
     * Arrival time (ns) of the unread row {@code offset} rows after the oldest; only valid when
     * {@code offset < available()}.
     */
    public long peekArrivalNs(int offset) {
        return arrivalNs[(int) ((head.get() + offset) & mask)];
    }

    /** Consumes the oldest row. */
    public void advance() {
        head.lazySet(head.get() + 1);
    }

    /** Consumes the {@code rows} oldest rows unread (at most {@link #available()}). */
    public void skip(int rows) {
        head.lazySet(head.get() + rows);
    }
}
