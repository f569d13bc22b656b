package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

class AgentPoolTest {
    private static final class Counting implements Agent {
        final AtomicInteger work = new AtomicInteger();
        volatile boolean started;
        volatile boolean closed;

        @Override
        public void onStart() {
            started = true;
        }

        @Override
        public int doWork() {
            work.incrementAndGet();
            return 0;
        }

        @Override
        public void onClose() {
            closed = true;
        }

        @Override
        public String roleName() {
            return "counting";
        }
    }

    @Test
    void shouldRunAddedAgentsOnItsThreadAndCloseRemovedOnes() throws Exception {
        try (AgentPool pool =
                new AgentPool(
                        "test-pool",
                        new SleepingIdleStrategy(100_000),
                        Throwable::printStackTrace,
                        Thread::new)) {
            Counting a = new Counting();
            Counting b = new Counting();
            pool.add(a);
            pool.add(b);
            assertThat(a.started).isTrue();
            Thread.sleep(50);
            assertThat(a.work.get()).isGreaterThan(0);
            assertThat(b.work.get()).isGreaterThan(0);
            pool.remove(a);
            assertThat(a.closed).isTrue();
            int frozen = a.work.get();
            Thread.sleep(50);
            assertThat(a.work.get()).isEqualTo(frozen);
            assertThat(b.closed).isFalse();
        }
    }

    @Test
    void shouldFailClearlyOnceClosed() {
        AgentPool pool =
                new AgentPool(
                        "closed-pool",
                        new SleepingIdleStrategy(100_000),
                        Throwable::printStackTrace,
                        Thread::new);
        pool.close();
        assertThatThrownBy(() -> pool.add(new Counting()))
                .isInstanceOf(ServerException.class)
                .hasMessageContaining("closed-pool");
    }
}
