package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions subsystem's meters: {@code spikeloop_sessions}, the sessions this replica runs, and
 * the opening of each session's own meters ({@link #open}). Bound once at start-up ({@link
 * ServerMetrics}).
 *
 * <p>Threading: {@link #open} from the control plane (session creation); the gauge reads an atomic;
 * {@link #beforeScrape} on the scraping thread.
 */
public final class SessionMetrics implements MeterBinder {
    private final AtomicInteger open = new AtomicInteger();
    private final Set<SessionMeters> live = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("the session metrics are bound already");
        }
        this.registry = registry;
        Gauge.builder("spikeloop.sessions", open, AtomicInteger::get)
                .description("Sessions this replica runs (created and not yet stopped)")
                .register(registry);
    }

    /**
     * The meters of a session being created; counted in {@code spikeloop_sessions} until closed.
     *
     * @throws IllegalStateException before {@link #bindTo}
     */
    public SessionMeters open(String sessionId) {
        MeterRegistry r;
        synchronized (this) {
            r = registry;
        }
        if (r == null) {
            throw new IllegalStateException("bind the session metrics to a registry first");
        }
        open.incrementAndGet();
        SessionMeters[] opened = new SessionMeters[1];
        opened[0] =
                new SessionMeters(
                        r,
                        sessionId,
                        () -> {
                            live.remove(opened[0]);
                            open.decrementAndGet();
                        });
        live.add(opened[0]);
        return opened[0];
    }

    /** Brings every open session's scrape-time meters up to date (the scraping thread). */
    void beforeScrape() {
        for (SessionMeters m : live) {
            m.beforeScrape();
        }
    }
}
