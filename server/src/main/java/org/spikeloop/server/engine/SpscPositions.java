package org.spikeloop.server.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The read and write positions of a bounded single-producer single-consumer ring whose rows live in
 * the subclass's own preallocated arrays ({@link SampleRing}, {@link TrialEventRing}). The producer
 * {@link #claim}s the next slot, fills the subclass's arrays at that slot and {@link #publish}es
 * it; the consumer reads at {@link #headSlot} and {@link #advanceHead}s. A full ring refuses the
 * claim instead of waiting.
 *
 * <p>Threading: exactly one producer thread calls {@link #claim}/{@link #publish}; exactly one
 * consumer thread the head methods. Positions are published with release/acquire ordering
 * (AtomicLong lazySet/get), so the consumer sees a row's values once it sees its position. The
 * producer keeps its own view of the head and reads the consumer's only when the ring looks full. A
 * superclass rather than a field, so the positions stay in the ring's own object: no extra hop on
 * the engine's per-sample path. Allocation: none after construction.
 */
public abstract class SpscPositions {
    private final int capacity;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next position the consumer reads
    private final AtomicLong tail = new AtomicLong(); // next position the producer writes
    private long cachedHead; // producer's view of head, refreshed only when the ring looks full

    /**
     * @param capacity slots, a power of two ({@link RingCapacity#roundUp})
     */
    SpscPositions(int capacity) {
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /** Rows the ring holds. */
    public int capacity() {
        return capacity;
    }

    /** Rows waiting for the consumer. */
    public int available() {
        return (int) (tail.get() - head.get());
    }

    /** Whether no row waits for the consumer. */
    public boolean isEmpty() {
        return tail.get() == head.get();
    }

    /**
     * The position the producer writes next, or -1 when the ring is full (producer thread only).
     * Nothing is visible to the consumer until {@link #publish}.
     */
    final long claim() {
        long t = tail.get();
        if (t - cachedHead >= capacity) {
            cachedHead = head.get();
            if (t - cachedHead >= capacity) {
                return -1;
            }
        }
        return t;
    }

    /** Makes the row at {@code position}, just written, visible to the consumer. */
    final void publish(long position) {
        tail.lazySet(position + 1);
    }

    /** The slot of {@code position}. */
    final int slot(long position) {
        return (int) (position & mask);
    }

    /** The slot of the oldest unread row (consumer thread only). */
    final int headSlot() {
        return slot(head.get());
    }

    /** The slot {@code offset} rows after the oldest unread one (consumer thread only). */
    final int headSlot(int offset) {
        return slot(head.get() + offset);
    }

    /** Consumes the {@code rows} oldest rows (consumer thread only, at most {@link #available}). */
    final void advanceHead(int rows) {
        head.lazySet(head.get() + rows);
    }
}
