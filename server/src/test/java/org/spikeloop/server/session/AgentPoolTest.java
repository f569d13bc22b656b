package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.os.RealtimeScheduling;
import org.spikeloop.server.os.TimerSlack;

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

    private static final class Throwing implements Agent {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public int doWork() {
            calls.incrementAndGet();
            throw new IllegalStateException("agent fault");
        }

        @Override
        public String roleName() {
            return "throwing";
        }
    }

    @Test
    void shouldKeepOtherAgentsRunningWhenOneThrowsAndStopCallingIt() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        try (AgentPool pool =
                new AgentPool(
                        "isolating-pool",
                        new SleepingIdleStrategy(100_000),
                        reported::add,
                        Thread::new)) {
            Throwing bad = new Throwing();
            Counting good = new Counting();
            pool.add(bad); // first in the cycle: its throw must not skip the next agent
            pool.add(good);
            Thread.sleep(50);
            int before = good.work.get();
            Thread.sleep(50);
            assertThat(good.work.get()).isGreaterThan(before);
            assertThat(bad.calls.get()).isEqualTo(1);
            assertThat(reported).hasSize(1);
            assertThat(reported.get(0)).hasMessage("agent fault");
        }
    }

    @Test
    void shouldHandEachFailureToTheAgentsHookOnThePoolThreadAndKeepCallingIt() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        List<String> hookThreads = new CopyOnWriteArrayList<>();
        try (AgentPool pool =
                new AgentPool(
                        "hook-pool",
                        new SleepingIdleStrategy(100_000),
                        reported::add,
                        Thread::new)) {
            Throwing bad = new Throwing();
            pool.add(bad, t -> hookThreads.add(Thread.currentThread().getName()));
            Thread.sleep(50);
            assertThat(bad.calls.get()).isGreaterThan(1);
            // AgentRunner names the pool's thread after the pool.
            assertThat(hookThreads).hasSizeGreaterThan(1).containsOnly("hook-pool");
            assertThat(reported).hasSize(1); // logged once, not every cycle
            assertThat(pool.size()).isEqualTo(1);
            pool.remove(bad);
            assertThat(pool.size()).isZero();
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

    @Test
    void shouldReportAHookFailureInsteadOfEndingTheCycle() throws Exception {
        try (AgentPool pool =
                new AgentPool(
                        "failing-report-pool",
                        new SleepingIdleStrategy(100_000),
                        t -> {
                            throw new OutOfMemoryError("injected: cannot log");
                        },
                        Thread::new)) {
            Throwing bad = new Throwing();
            Counting good = new Counting();
            pool.add(bad, null, false);
            pool.add(good);
            Thread.sleep(50);
            int before = good.work.get();
            Thread.sleep(50);
            assertThat(good.work.get()).isGreaterThan(before);
            assertThat(pool.isDead()).isFalse();
            assertThat(pool.unreportedFailures()).isEqualTo(1);
        }
    }

    @Test
    void shouldBeDeadWhenAnErrorEscapesTheCompositeAndFailItsMembersOnTheCallersThread()
            throws Exception {
        AgentPool pool =
                new AgentPool(
                        "dying-pool", new SleepingIdleStrategy(100_000), t -> {}, Thread::new);
        Counting member = new Counting();
        List<String> hooks = new CopyOnWriteArrayList<>();
        pool.add(member, t -> hooks.add(Thread.currentThread().getName() + ": " + t.getMessage()));
        Agent killer =
                new Agent() {
                    @Override
                    public void onStart() {
                        throw new OutOfMemoryError("injected: heap exhausted");
                    }

                    @Override
                    public int doWork() {
                        return 0;
                    }

                    @Override
                    public String roleName() {
                        return "killer";
                    }
                };
        // The composite marks the add done before it calls onStart, so the add returns; the
        // Error then ends the thread.
        pool.add(killer);
        long end = System.nanoTime() + 5_000_000_000L;
        while (!pool.isDead() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(pool.isDead()).isTrue();
        assertThat(pool.deathCause()).hasMessage("injected: heap exhausted");
        // Agrona ends the runner without closing the composite: no member's onClose ran.
        assertThat(member.closed).isFalse();
        assertThat(pool.failMembers(pool.deathCause())).isEqualTo(2);
        assertThat(hooks)
                .containsExactly(Thread.currentThread().getName() + ": injected: heap exhausted");
        assertThatThrownBy(() -> pool.add(new Counting())).isInstanceOf(ServerException.class);
        pool.remove(member); // no thread left: onClose runs here
        assertThat(member.closed).isTrue();
        pool.close();
        assertThat(pool.isDead()).isFalse(); // closed on purpose now
    }

    /** What {@code probe} reads on the pool's thread when an agent starts there. */
    private static long seenOnPoolThread(AgentPool pool, java.util.function.LongSupplier probe) {
        java.util.concurrent.atomic.AtomicLong seen =
                new java.util.concurrent.atomic.AtomicLong(-2);
        pool.add(
                new Agent() {
                    @Override
                    public void onStart() {
                        seen.set(probe.getAsLong());
                    }

                    @Override
                    public int doWork() {
                        return 0;
                    }

                    @Override
                    public String roleName() {
                        return "probe";
                    }
                });
        return seen.get();
    }

    @Test
    void shouldGivePoolThreadsTheShortTimerSlack() {
        assumeTrue(Platform.isLinux(), "prctl is Linux-only");
        try (AgentPool pool =
                new AgentPool(
                        "slack-pool",
                        new SleepingIdleStrategy(100_000),
                        Throwable::printStackTrace,
                        Thread::new)) {
            assertThat(seenOnPoolThread(pool, TimerSlack::currentThread))
                    .isEqualTo(TimerSlack.POOL_SLACK_NS);
        }
    }

    @Test
    void shouldRunThePoolThreadFifoWhenAskedOrReportTheRefusal() {
        assumeTrue(Platform.isLinux(), "sched_setscheduler is Linux-only");
        try (AgentPool pool =
                new AgentPool(
                        "rt-pool",
                        new SleepingIdleStrategy(50_000),
                        Throwable::printStackTrace,
                        Thread::new,
                        1)) {
            assertThat(seenOnPoolThread(pool, RealtimeScheduling::currentThreadPolicy))
                    .isEqualTo(
                            pool.realtimeRefusal() == null
                                    ? RealtimeScheduling.SCHED_FIFO
                                    : RealtimeScheduling.SCHED_OTHER);
        }
    }
}
