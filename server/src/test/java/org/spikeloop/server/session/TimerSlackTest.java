package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

class TimerSlackTest {
    @Test
    void shouldSetOnlyTheCallingThreadsSlack() throws Exception {
        assumeTrue(Platform.isLinux(), "prctl is Linux-only");
        long mine = TimerSlack.currentThread();
        AtomicLong inThread = new AtomicLong();
        Thread t = new Thread(() -> inThread.set(TimerSlack.setCurrentThread(2_000)));
        t.start();
        t.join();
        assertThat(inThread.get()).isEqualTo(2_000);
        assertThat(TimerSlack.currentThread()).isEqualTo(mine);
    }

    @Test
    void shouldGiveAgentPoolThreadsTheShortSlack() throws Exception {
        assumeTrue(Platform.isLinux(), "prctl is Linux-only");
        AtomicLong seen = new AtomicLong(Long.MIN_VALUE);
        try (AgentPool pool =
                new AgentPool(
                        "slack-pool",
                        new SleepingIdleStrategy(100_000),
                        Throwable::printStackTrace,
                        Thread::new)) {
            pool.add(
                    new Agent() {
                        @Override
                        public void onStart() {
                            seen.set(TimerSlack.currentThread());
                        }

                        @Override
                        public int doWork() {
                            return 0;
                        }

                        @Override
                        public String roleName() {
                            return "slack-reader";
                        }
                    });
        }
        assertThat(seen.get()).isEqualTo(TimerSlack.POOL_SLACK_NS);
    }
}
