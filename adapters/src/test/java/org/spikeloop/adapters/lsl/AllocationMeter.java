package org.spikeloop.adapters.lsl;

import java.lang.management.ManagementFactory;

/** Test helper: bytes allocated by the current thread (HotSpot's thread allocation counter). */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
