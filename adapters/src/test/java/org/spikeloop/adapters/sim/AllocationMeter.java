package org.spikeloop.adapters.sim;

import java.lang.management.ManagementFactory;

/** Test helper: bytes allocated by the current thread (HotSpot's thread allocation counter). */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
