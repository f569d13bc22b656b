package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.os.RealtimeScheduling;

class DeadlineProbeTest {
    private static final long PERIOD_NS = 1_000_000L;

    @Test
    void shouldCountThePeriodBoundariesInItsWindowAsAnOrdinaryThread() throws Exception {
        DeadlineProbe probe = new DeadlineProbe(PERIOD_NS, "e2e-probe-test", 0);
        long from = System.nanoTime() + 20_000_000L;
        probe.window(from, from + 200_000_000L);
        Thread.sleep(300);
        probe.close();

        // 200 boundaries of 1 ms in the window, served or missed.
        assertThat(probe.boundaries()).isBetween(199L, 201L);
        assertThat(probe.misses()).isLessThanOrEqualTo(probe.boundaries());
        assertThat(probe.latenessNs().getTotalCount()).isPositive();
        assertThat(probe.realtime()).isFalse();
    }

    @Test
    void shouldRunUnderSchedFifoWhereTheOsAllowsItAndSayWhetherItDid() throws Exception {
        boolean allowed = fifoAllowedHere();
        DeadlineProbe probe = new DeadlineProbe(PERIOD_NS, "e2e-probe-test-fifo", 1);
        long from = System.nanoTime();
        probe.window(from, from + 100_000_000L);
        Thread.sleep(150);
        probe.close();

        assertThat(probe.realtime()).isEqualTo(allowed);
        assertThat(probe.boundaries()).isPositive();
    }

    /** Whether a thread of this JVM may take SCHED_FIFO 1 (asked on a thread that then ends). */
    private static boolean fifoAllowedHere() throws InterruptedException {
        AtomicReference<String> refusal = new AtomicReference<>("not asked");
        Thread t = new Thread(() -> refusal.set(RealtimeScheduling.setCurrentThreadFifo(1)));
        t.start();
        t.join();
        return refusal.get() == null;
    }
}
