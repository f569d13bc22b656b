package org.spikeloop.server.session;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the agent pools for a thread that died (an {@code Error} escaped its composite, e.g. an
 * {@code OutOfMemoryError}) and contains it: logs the cause, counts it ({@link #threadDeaths()},
 * the alert's metric) and hands it to every agent of that pool ({@link AgentPool#failMembers}), so
 * their sessions go to ERROR with the reason instead of reading RUNNING while nothing decodes. It
 * also logs the failures a pool could not report itself (its error handler threw, e.g. out of
 * memory while logging).
 *
 * <p>Threading: one daemon thread, polling every {@link #POLL_MS} ms; the pools' failure hooks run
 * on it once their own thread has gone (it is then their only caller).
 */
final class EngineMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineMonitor.class);

    /** How often the pools are checked. */
    static final long POLL_MS = 100;

    private final Supplier<List<AgentPool>> pools;
    private final Set<AgentPool> seenDead =
            Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final java.util.Map<AgentPool, Long> unreportedSeen = new java.util.IdentityHashMap<>();
    private final AtomicLong threadDeaths = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param pools every pool to watch (read each poll: pools come and go)
     */
    EngineMonitor(Supplier<List<AgentPool>> pools) {
        this.pools = pools;
        this.thread = new Thread(this::run, "spikeloop-engine-monitor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Agent-pool threads that died so far. */
    long threadDeaths() {
        return threadDeaths.get();
    }

    private void run() {
        while (running) {
            try {
                check();
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Keep watching: a failure here (e.g. out of memory) must not end the monitor.
                LOG.error("engine monitor: check failed", e);
            }
        }
    }

    /** One check of every pool (also called by tests and at close). */
    synchronized void check() {
        for (AgentPool pool : pools.get()) {
            long unreported = pool.unreportedFailures();
            long before = unreportedSeen.getOrDefault(pool, 0L);
            if (unreported > before) {
                unreportedSeen.put(pool, unreported);
                LOG.error(
                        "{}: {} agent failure(s) could not be reported when they happened (the"
                                + " report itself failed, e.g. out of memory); the agents are in"
                                + " their failed state",
                        pool.name(),
                        unreported - before);
            }
            if (pool.isDead() && seenDead.add(pool)) {
                threadDeaths.incrementAndGet();
                Throwable cause = pool.deathCause();
                if (cause == null) {
                    cause = new IllegalStateException(pool.name() + ": thread ended");
                }
                int members = pool.failMembers(cause);
                LOG.error(
                        "{}: the thread died; its {} agent(s) no longer run and their sessions are"
                                + " in ERROR (stop them; new sessions go to a new thread)",
                        pool.name(),
                        members,
                        cause);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
