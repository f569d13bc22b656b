package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

/**
 * Real SCHED_FIFO through libc. Where the process may not raise priorities (no CAP_SYS_NICE, as in
 * a default container) the refusal itself is what is checked: a reason naming EPERM and the thread
 * left under its old policy.
 */
class RealtimeSchedulingTest {
    @Test
    void shouldMakeOnlyTheCallingThreadFifoOrSayWhyNot() throws Exception {
        assumeTrue(Platform.isLinux(), "sched_setscheduler is Linux-only");
        int mine = RealtimeScheduling.currentThreadPolicy();
        AtomicReference<String> refusal = new AtomicReference<>();
        AtomicInteger policy = new AtomicInteger(-2);
        Thread t =
                new Thread(
                        () -> {
                            refusal.set(RealtimeScheduling.setCurrentThreadFifo(1));
                            policy.set(RealtimeScheduling.currentThreadPolicy());
                        });
        t.start();
        t.join();
        if (refusal.get() == null) {
            assertThat(policy.get()).isEqualTo(RealtimeScheduling.SCHED_FIFO);
        } else {
            assertThat(refusal.get()).contains("EPERM").contains("CAP_SYS_NICE");
            assertThat(policy.get()).isEqualTo(RealtimeScheduling.SCHED_OTHER);
        }
        assertThat(RealtimeScheduling.currentThreadPolicy()).isEqualTo(mine);
    }

    @Test
    void shouldRefuseAPriorityOutsideOneToNinetyNine() {
        assertThatThrownBy(() -> RealtimeScheduling.setCurrentThreadFifo(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealtimeScheduling.setCurrentThreadFifo(100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRunAnAgentPoolsThreadFifoOrReportTheRefusal() throws Exception {
        assumeTrue(Platform.isLinux(), "sched_setscheduler is Linux-only");
        AtomicInteger seen = new AtomicInteger(-2);
        try (AgentPool pool =
                new AgentPool(
                        "rt-pool",
                        new SleepingIdleStrategy(50_000),
                        Throwable::printStackTrace,
                        Thread::new,
                        1)) {
            pool.add(
                    new Agent() {
                        @Override
                        public void onStart() {
                            seen.set(RealtimeScheduling.currentThreadPolicy());
                        }

                        @Override
                        public int doWork() {
                            return 0;
                        }

                        @Override
                        public String roleName() {
                            return "policy-reader";
                        }
                    });
            assertThat(seen.get())
                    .isEqualTo(
                            pool.realtimeRefusal() == null
                                    ? RealtimeScheduling.SCHED_FIFO
                                    : RealtimeScheduling.SCHED_OTHER);
        }
    }
}
