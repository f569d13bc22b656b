package org.spikeloop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadMetersTest {
    private static double waiting(SimpleMeterRegistry r) {
        return r.get("jvm.threads.states").tag("state", "waiting").gauge().value();
    }

    @Test
    void shouldCountTheThreadsByStateOncePerScrape() throws Exception {
        ThreadMeters meters = new ThreadMeters();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        meters.bindTo(r);
        double waitingBefore = waiting(r);

        CountDownLatch release = new CountDownLatch(1);
        List<Thread> parked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "thread-meters-test-" + i);
            t.start();
            parked.add(t);
        }
        try {
            for (Thread t : parked) {
                while (t.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                }
            }
            // the gauges show the last scrape's counts until the next one
            assertThat(waiting(r)).isEqualTo(waitingBefore);
            meters.refresh();
            assertThat(waiting(r)).isGreaterThanOrEqualTo(waitingBefore + 3);
        } finally {
            release.countDown();
            for (Thread t : parked) {
                t.join();
            }
        }
        meters.refresh();
        assertThat(waiting(r)).isLessThan(waitingBefore + 3); // the three ended
        assertThat(r.get("jvm.threads.live").gauge().value())
                .isEqualTo(ManagementFactory.getThreadMXBean().getThreadCount(), within(5.0));
    }
}
