package org.spikeloop.testing;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Test helper: bytes allocated by the current thread (HotSpot's thread allocation counter).
 *
 * <p>A test that asserts "0 bytes allocated" passes just as well on a counter that does not count
 * (unsupported or disabled: -1; or stuck), so the meter proves it counts before its first reading:
 * a 1 KiB allocation, kept reachable so that the JIT cannot remove it, must move it by at least 1
 * KiB (as {@code LslStringPullTest} checks it). And every reading fails on a negative value (a
 * counter disabled later). Both fail with an {@link AssertionError} that says so.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final LongSupplier COUNTER = THREADS::getCurrentThreadAllocatedBytes;

    /** The self-check's allocation, reachable from here so that it cannot be optimised away. */
    private static volatile byte[] sink;

    private static volatile boolean proven;

    private AllocationMeter() {}

    /**
     * Bytes the current thread has allocated so far. Allocates nothing once the counter is proven
     * (the first call proves it, before it reads).
     *
     * @throws AssertionError when the counter does not count
     */
    public static long allocatedBytes() {
        if (!proven) {
            requireCounting(COUNTER);
            proven = true;
        }
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        if (bytes < 0) {
            throw new AssertionError(
                    "the thread allocation counter reads "
                            + bytes
                            + ": disabled or unsupported on this JVM, so no allocation can be"
                            + " measured");
        }
        return bytes;
    }

    /**
     * Proves that {@code counter} counts: it must move by at least 1024 on a 1024-byte allocation.
     *
     * @throws AssertionError naming both readings when it does not
     */
    public static void requireCounting(LongSupplier counter) {
        long before = counter.getAsLong();
        sink = new byte[1024];
        long after = counter.getAsLong();
        if (before < 0 || after - before < sink.length) {
            throw new AssertionError(
                    "the thread allocation counter does not count: it read "
                            + before
                            + ", then "
                            + after
                            + " around an allocation of 1024 bytes (unsupported, disabled or"
                            + " broken on this JVM), so no allocation can be measured");
        }
    }
}
