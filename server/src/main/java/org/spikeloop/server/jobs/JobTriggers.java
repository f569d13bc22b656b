package org.spikeloop.server.jobs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every session's {@link PeriodicTrigger} on one low-priority background thread.
 *
 * <p>Threading: {@link #add}/{@link #remove} from any thread.
 */
public final class JobTriggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobTriggers.class);

    private final ConcurrentHashMap<String, PeriodicTrigger> triggers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    /**
     * @param pollMs how often the triggers are checked
     */
    public JobTriggers(long pollMs) {
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "spikeloop-job-triggers");
                            t.setDaemon(true);
                            t.setPriority(Thread.MIN_PRIORITY);
                            return t;
                        });
        scheduler.scheduleWithFixedDelay(this::pollAll, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** Adds (or replaces) the trigger of its session. */
    public void add(PeriodicTrigger t) {
        triggers.put(t.sessionId(), t);
    }

    public void remove(String sessionId) {
        triggers.remove(sessionId);
    }

    private void pollAll() {
        for (PeriodicTrigger t : triggers.values()) {
            try {
                JobHandle h = t.poll();
                if (h != null) {
                    LOG.info("periodic job {} submitted for session {}", h.id(), t.sessionId());
                }
            } catch (RuntimeException e) {
                LOG.warn("periodic trigger of {} failed: {}", t.sessionId(), e.getMessage());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
