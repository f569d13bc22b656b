package org.spikeloop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** {@link AllocationMeter} counts, and fails loudly on a counter that does not. */
class AllocationMeterTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static byte[] sink;

    @Test
    void shouldSeeAKnownAllocation() {
        long before = AllocationMeter.allocatedBytes();
        sink = new byte[1024];
        assertThat(AllocationMeter.allocatedBytes() - before).isGreaterThanOrEqualTo(1024);
        assertThat(sink).hasSize(1024);
    }

    @Test
    void shouldRefuseACounterThatDoesNotMove() {
        assertThatThrownBy(() -> AllocationMeter.requireCounting(() -> 123_456))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not count")
                .hasMessageContaining("read 123456, then 123456");
    }

    @Test
    void shouldRefuseAnUnsupportedCounter() {
        assertThatThrownBy(() -> AllocationMeter.requireCounting(() -> -1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not count");
    }

    @Test
    void shouldFailLoudlyWhileTheCounterIsDisabled() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported(), "thread allocation counter");
        AllocationMeter.allocatedBytes(); // proven while it counts
        boolean enabled = THREADS.isThreadAllocatedMemoryEnabled();
        THREADS.setThreadAllocatedMemoryEnabled(false); // it now reads -1
        try {
            assertThatThrownBy(AllocationMeter::allocatedBytes)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("reads -1");
        } finally {
            THREADS.setThreadAllocatedMemoryEnabled(enabled);
        }
        assertThat(AllocationMeter.allocatedBytes()).isPositive();
    }
}
