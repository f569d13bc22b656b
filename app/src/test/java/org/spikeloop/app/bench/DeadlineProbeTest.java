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

    @Test
    void shouldCountOnlyTheBoundariesInsideItsWindowOfAStallThatStraddlesAnEdge() throws Exception {
        DeadlineProbe probe = new DeadlineProbe(PERIOD_NS, "e2e-probe-test-stall", 0);
        probe.close(); // its own thread counts nothing more; the stalls below are synthetic
        long from = 100 * PERIOD_NS;
        long to = 110 * PERIOD_NS;
        probe.window(from, to);

        // Woken 4.5 periods after boundary 98: 98..101 missed, 102 served; 100..102 are inside.
        assertThat(probe.account(98 * PERIOD_NS, 4 * PERIOD_NS + PERIOD_NS / 2)).isEqualTo(4);
        assertThat(probe.boundaries()).isEqualTo(3);
        assertThat(probe.misses()).isEqualTo(2);
        // On time at 103..107.
        for (long b = 103; b <= 107; b++) {
            assertThat(probe.account(b * PERIOD_NS, PERIOD_NS / 10)).isZero();
        }
        // Woken 5.5 periods after boundary 108: 108..112 missed, 113 served; only 108 and 109
        // are inside the window, whose end the stall straddles.
        assertThat(probe.account(108 * PERIOD_NS, 5 * PERIOD_NS + PERIOD_NS / 2)).isEqualTo(5);

        assertThat(probe.boundaries()).isEqualTo(10); // 100..109, each once
        assertThat(probe.misses()).isEqualTo(4); // 100, 101, 108, 109
        assertThat(probe.latenessNs().getTotalCount()).isEqualTo(6); // the wake-ups at 103..108
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
