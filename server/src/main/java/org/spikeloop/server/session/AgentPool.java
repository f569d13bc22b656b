package org.spikeloop.server.session;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.DynamicCompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.os.RealtimeScheduling;
import org.spikeloop.server.os.TimerSlack;

/**
 * One thread hosting many small agents (sessions' engines, frame publishers or LSL sources) in an
 * Agrona {@link DynamicCompositeAgent}, so a replica with many sessions does not run one
 * idle-polling thread per session per role. Added agents get {@code onStart} and removed ones
 * {@code onClose} on the pool's thread.
 *
 * <p>Isolation: each agent runs inside a guard. When its {@code doWork} throws, the throwable goes
 * to the pool's error handler (once) and to the agent's failure hook on the pool's thread; the
 * other agents of the pool keep their cycle. An agent given a hook is called again afterwards (the
 * hook put it into its own failed state, e.g. an engine's ERROR status); an agent without one is
 * not called again until removed. Nothing the guard calls may end the cycle: a handler or hook that
 * throws in turn (an {@code OutOfMemoryError} while logging) is counted in {@link
 * #unreportedFailures()}, not rethrown.
 *
 * <p>Death: Agrona's runner ends its thread on an {@code Error} that escapes the composite itself
 * (e.g. an {@code OutOfMemoryError} while the composite grows its agent array). The pool then
 * {@link #isDead() is dead}: its agents no longer run, {@link #add} refuses, {@link #remove} runs
 * the agent's {@code onClose} on the caller's thread (the only thread left), and {@link
 * #failMembers} hands the cause to every member's failure hook so that no session stays RUNNING
 * without a thread. {@link EngineMonitor} watches for it.
 *
 * <p>Threading: {@link #add}/{@link #remove} from control-plane threads (serialised here; they wait
 * until the pool's thread has taken the change, at most {@link #CHANGE_TIMEOUT_MS}). Allocation:
 * none per cycle.
 */
final class AgentPool implements AutoCloseable {
    static final long CHANGE_TIMEOUT_MS = 5_000;

    private final DynamicCompositeAgent composite;
    private final AgentRunner runner;
    private final ErrorHandler errors;
    private final Map<Agent, Guarded> members = new IdentityHashMap<>();
    private final AtomicLong unreported = new AtomicLong();
    private volatile String realtimeRefusal;
    private volatile boolean closing;
    private volatile Throwable deathCause;

    AgentPool(String name, IdleStrategy idle, ErrorHandler errors, ThreadFactory threads) {
        this(name, idle, errors, threads, 0);
    }

    /**
     * @param realtimePriority 0, or the SCHED_FIFO priority the pool's thread asks for when it
     *     starts ({@link RealtimeScheduling}; see {@link #realtimeRefusal()})
     */
    AgentPool(
            String name,
            IdleStrategy idle,
            ErrorHandler errors,
            ThreadFactory threads,
            int realtimePriority) {
        this.errors = errors;
        composite = new DynamicCompositeAgent(name);
        runner = new AgentRunner(idle, errors, null, composite);
        // Parks as short as the idle strategy asks (1 µs slack, not Linux's 50 µs).
        AgentRunner.startOnThread(
                runner,
                r ->
                        threads.newThread(
                                () -> {
                                    TimerSlack.setCurrentThread(TimerSlack.POOL_SLACK_NS);
                                    if (realtimePriority > 0) {
                                        realtimeRefusal =
                                                RealtimeScheduling.setCurrentThreadFifo(
                                                        realtimePriority);
                                    }
                                    try {
                                        r.run();
                                    } catch (Throwable t) {
                                        // The runner rethrew an Error and the thread ends here;
                                        // the monitor reports it (logging now may fail again).
                                        deathCause = t;
                                    }
                                }));
        // The composite refuses changes until its thread has started it.
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANGE_TIMEOUT_MS);
        while (composite.status() == DynamicCompositeAgent.Status.INIT) {
            waitOrFail(end, "start");
        }
    }

    /**
     * Why the pool's thread is not SCHED_FIFO although a real-time priority was asked for, or null
     * (asked for and granted, or not asked for). Known once the constructor has returned.
     */
    String realtimeRefusal() {
        return realtimeRefusal;
    }

    /**
     * Wakes the pool's thread if its idle strategy parked it (allocation-free; any thread). A pool
     * that parks until there is work — the watchers' delivery thread — is woken this way by the
     * engines after they publish; for a pool that spins it costs one permit.
     */
    void wake() {
        Thread t = runner.thread();
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The pool's name (its thread's role). */
    String name() {
        return composite.roleName();
    }

    /** Agents currently hosted. */
    synchronized int size() {
        return members.size();
    }

    /** Adds an agent without a failure hook. */
    void add(Agent agent) {
        add(agent, null);
    }

    /**
     * Adds an agent; returns once its {@code onStart} ran on the pool's thread.
     *
     * @param onFailure called on the pool's thread with what the agent's {@code doWork} threw, or
     *     null (the agent is then no longer called)
     */
    synchronized void add(Agent agent, Consumer<Throwable> onFailure) {
        add(agent, onFailure, true);
    }

    /**
     * Adds an agent; returns once its {@code onStart} ran on the pool's thread.
     *
     * @param onFailure called on the pool's thread with what the agent's {@code doWork} threw, or
     *     null
     * @param callAgain whether the agent is called again after a failure (its hook put it into a
     *     failed state it handles, like the engine's ERROR) or never again (a hook only reports)
     */
    synchronized void add(Agent agent, Consumer<Throwable> onFailure, boolean callAgain) {
        requireActive("add " + agent.roleName());
        if (members.containsKey(agent)) {
            throw new IllegalStateException(agent.roleName() + " is already in " + name());
        }
        Guarded guarded =
                new Guarded(agent, errors, onFailure, callAgain && onFailure != null, unreported);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANGE_TIMEOUT_MS);
        while (!composite.tryAdd(guarded)) {
            waitOrFail(end, "add " + agent.roleName());
        }
        wake(); // a parked pool thread takes the change now, not after its longest park
        while (!composite.hasAddAgentCompleted()) {
            waitOrFail(end, "add " + agent.roleName());
        }
        members.put(agent, guarded);
    }

    /**
     * Removes an agent; returns once its {@code onClose} ran on the pool's thread, or, when the
     * pool is {@link #isDead() dead}, after running it on the caller's thread.
     */
    synchronized void remove(Agent agent) {
        Guarded guarded = members.get(agent);
        if (guarded == null) {
            return;
        }
        if (isDead()) {
            members.remove(agent);
            agent.onClose();
            return;
        }
        requireActive("remove " + agent.roleName());
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANGE_TIMEOUT_MS);
        while (!composite.tryRemove(guarded)) {
            waitOrFail(end, "remove " + agent.roleName());
        }
        wake();
        while (!composite.hasRemoveAgentCompleted()) {
            waitOrFail(end, "remove " + agent.roleName());
        }
        members.remove(agent);
    }

    private void waitOrFail(long endNs, String what) {
        if (runner.isClosed()
                || composite.status() == DynamicCompositeAgent.Status.CLOSED
                || System.nanoTime() > endNs) {
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    composite.roleName() + ": could not " + what + " (pool closed or busy)");
        }
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE, "interrupted during " + what);
        }
    }

    private void requireActive(String what) {
        if (runner.isClosed() || composite.status() != DynamicCompositeAgent.Status.ACTIVE) {
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    composite.roleName()
                            + ": could not "
                            + what
                            + " (pool "
                            + composite.status()
                            + ")");
        }
    }

    /**
     * Whether the pool's thread has ended without {@link #close()} (an {@code Error} escaped the
     * composite): its agents no longer run.
     */
    boolean isDead() {
        return runner.isClosed() && !closing;
    }

    /** What ended the pool's thread (null while it runs, or when it ended by {@link #close()}). */
    Throwable deathCause() {
        return deathCause;
    }

    /** Failures whose report (error handler or failure hook) threw in turn. */
    long unreportedFailures() {
        return unreported.get();
    }

    /**
     * After the pool's thread died: hands {@code cause} to every member's failure hook on the
     * caller's thread (the only one left that touches them) and stops calling the others.
     *
     * @return the number of members
     */
    synchronized int failMembers(Throwable cause) {
        for (Guarded g : members.values()) {
            g.failed = true;
            if (g.onFailure != null) {
                g.onFailure.accept(cause);
            }
        }
        return members.size();
    }

    @Override
    public void close() {
        closing = true;
        runner.close();
    }

    /** Keeps one agent's failure from ending the cycle of the agents after it. */
    private static final class Guarded implements Agent {
        private final Agent agent;
        private final ErrorHandler errors;
        private final Consumer<Throwable> onFailure;
        private final boolean callAgain;
        private final AtomicLong unreported;
        private boolean failed;

        Guarded(
                Agent agent,
                ErrorHandler errors,
                Consumer<Throwable> onFailure,
                boolean callAgain,
                AtomicLong unreported) {
            this.agent = agent;
            this.errors = errors;
            this.onFailure = onFailure;
            this.callAgain = callAgain;
            this.unreported = unreported;
        }

        @Override
        public void onStart() {
            agent.onStart();
        }

        @Override
        public int doWork() {
            if (failed && !callAgain) {
                return 0;
            }
            try {
                return agent.doWork();
            } catch (Throwable t) {
                boolean first = !failed;
                failed = true;
                // The hook first: it allocates nothing, so the session's state is right even
                // when the heap is exhausted and the report below fails.
                if (onFailure != null) {
                    try {
                        onFailure.accept(t);
                    } catch (Throwable hookFailed) {
                        unreported.incrementAndGet();
                    }
                }
                if (first) {
                    try {
                        errors.onError(t);
                    } catch (Throwable reportFailed) {
                        unreported.incrementAndGet(); // e.g. out of memory while logging
                    }
                }
                return 1;
            }
        }

        @Override
        public void onClose() {
            agent.onClose();
        }

        @Override
        public String roleName() {
            return agent.roleName();
        }
    }
}
