package org.spikeloop.server.engine;

/**
 * One reader's position in a {@link DecisionRing}. A reader that falls more than the ring holds
 * behind jumps to the oldest window still held and counts the windows it skipped as dropped.
 *
 * <p>Threading: one reader thread per cursor. Allocation: none.
 */
public final class DecisionCursor {
    private final DecisionRing ring;
    private long next;
    private long dropped;

    DecisionCursor(DecisionRing ring, long start) {
        this.ring = ring;
        this.next = start;
    }

    /**
     * Copies the next window into {@code dst}.
     *
     * @return true if a window was copied, false if none is available yet
     */
    public boolean poll(Decision dst) {
        while (true) {
            long published = ring.published();
            if (next >= published) {
                return false;
            }
            long oldest = published - (ring.capacity() - 1); // the slot being rewritten is lost
            if (next < oldest) {
                dropped += oldest - next;
                next = oldest;
            }
            if (ring.copy(next, dst)) {
                next++;
                return true;
            }
            // Overwritten while copying: count it and move on.
            dropped++;
            next++;
        }
    }

    /** Windows this reader has lost because it fell behind. */
    public long dropped() {
        return dropped;
    }
}
