package org.spikeloop.server.engine;

/**
 * How many slots a ring asked for {@code n} really holds: the power of two at or above {@code n},
 * so a position maps to its slot by a mask instead of a division. Every ring rounds with it, and so
 * do the size estimates made before a ring exists ({@code bytesFor}, admission's footprint), which
 * must count the slots the ring will really allocate.
 */
public final class RingCapacity {
    private RingCapacity() {}

    /**
     * The power of two at or above {@code n}, for {@code n} from 2 to 2<sup>30</sup> (the rings
     * refuse fewer than 2).
     */
    public static int roundUp(int n) {
        return Integer.highestOneBit(n - 1) << 1;
    }
}
