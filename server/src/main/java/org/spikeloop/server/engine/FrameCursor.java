package org.spikeloop.server.engine;

/**
 * One reader's position in a {@link FrameRing}. When the reader has fallen behind by more than the
 * ring holds, it jumps to the newest frame and counts the frames it skipped as dropped: a watcher
 * that cannot keep up sees fresh frames with a gap, never stale ones.
 *
 * <p>Threading: one reader thread per cursor. Allocation: none.
 */
public final class FrameCursor {
    private final FrameRing ring;
    private long next;
    private long dropped;

    FrameCursor(FrameRing ring, long start) {
        this.ring = ring;
        this.next = start;
    }

    /**
     * Copies the next frame into {@code dst}.
     *
     * @return true if a frame was copied, false if none is available yet
     */
    public boolean poll(Frame dst) {
        while (true) {
            long published = ring.published();
            if (next >= published) {
                return false;
            }
            if (published - next > ring.capacity() - 1) {
                // Overrun (or about to be): skip to the newest frame.
                long newest = published - 1;
                dropped += newest - next;
                next = newest;
            }
            if (ring.copy(next, dst)) {
                next++;
                return true;
            }
            // Overwritten while copying: loop; the overrun check above will move us forward.
            if (ring.published() - next <= ring.capacity() - 1) {
                // Slot busy with the same sequence being rewritten is impossible; treat as a lost
                // frame.
                dropped++;
                next++;
            }
        }
    }

    /**
     * Moves past frames that are about to be overwritten, counting them as dropped, without reading
     * (for a reader that is not ready to take frames).
     *
     * @return frames dropped by this call
     */
    public long discardOverrun() {
        long published = ring.published();
        if (published - next > ring.capacity() - 1) {
            long newest = published - 1;
            long lost = newest - next;
            dropped += lost;
            next = newest;
            return lost;
        }
        return 0;
    }

    /** Skips every frame published so far without counting drops (used by rate-limited readers). */
    public long skipToNewest() {
        long published = ring.published();
        long skipped = Math.max(0, published - 1 - next);
        if (skipped > 0) {
            next = published - 1;
        }
        return skipped;
    }

    /** Frames this reader has lost because it fell behind. */
    public long dropped() {
        return dropped;
    }

    /** Frames published but not yet read by this cursor. */
    public long lag() {
        return Math.max(0, ring.published() - next);
    }
}
