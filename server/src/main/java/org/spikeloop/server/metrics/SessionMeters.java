package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's meters, from its creation to its stop. The session's binders ({@link
 * LatencyMetrics}, {@link EngineMetrics}, {@link IoMetrics}, {@link RecordingMetrics}, {@link
 * GovernanceMetrics}) are bound here once, while the session is assembled, and tag every meter
 * {@code session=<id>}; {@link #close} removes every meter of the registry that carries this
 * session's tag, so no series of a stopped session stays in the Prometheus output. Opened by {@link
 * SessionMetrics#open}.
 *
 * <p>Threading: control plane; {@link #bind} and {@link #close} are serialised; {@link
 * #beforeScrape} runs on the scraping thread. Nothing here runs on the engine thread: the engine
 * holds the recorders and counters it writes, which the meters read.
 */
public final class SessionMeters implements AutoCloseable {
    /** The tag every per-session meter carries. */
    public static final String SESSION_TAG = "session";

    /**
     * A binder that may register meters after it was bound (governance registers a counter per
     * action as actions happen): told to stop before the session's meters are removed, so nothing
     * of the session is registered again afterwards.
     */
    interface RegistersLater {
        void stopRegistering();
    }

    /**
     * A binder whose meters are fed from single-writer records at scrape time ({@link
     * LatencyMetrics}): told before every scrape to bring its meters up to date.
     */
    interface ReadsBeforeScrape {
        void beforeScrape();
    }

    private final MeterRegistry registry;
    private final String sessionId;
    private final Runnable onClose;
    private final List<MeterBinder> binders = new ArrayList<>();
    private boolean closed;

    SessionMeters(MeterRegistry registry, String sessionId, Runnable onClose) {
        this.registry = registry;
        this.sessionId = sessionId;
        this.onClose = onClose;
    }

    /** The tags of a per-session meter: {@code session=<id>}. */
    static Tags tags(String sessionId) {
        return Tags.of(SESSION_TAG, sessionId);
    }

    /**
     * Registers a session's counter that reads a single-writer {@code source} (a {@code
     * FunctionCounter}: the writer never calls Micrometer).
     */
    static void counter(
            MeterRegistry registry, String sessionId, String name, String help, AtomicLong source) {
        FunctionCounter.builder(name, source, AtomicLong::get)
                .description(help)
                .tags(tags(sessionId))
                .register(registry);
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Binds one of the session's binders (its meters must carry {@link #SESSION_TAG} = this
     * session's id) and keeps it for {@link #binder}.
     *
     * @throws IllegalStateException once the session's meters are closed
     */
    public synchronized <B extends MeterBinder> B bind(B binder) {
        if (closed) {
            throw new IllegalStateException("session " + sessionId + ": its meters are closed");
        }
        binder.bindTo(registry);
        binders.add(binder);
        return binder;
    }

    /**
     * The bound binder of {@code type}.
     *
     * @throws IllegalStateException when none was bound
     */
    public synchronized <B extends MeterBinder> B binder(Class<B> type) {
        for (MeterBinder b : binders) {
            if (type.isInstance(b)) {
                return type.cast(b);
            }
        }
        throw new IllegalStateException(
                "session " + sessionId + " has no " + type.getSimpleName() + " bound");
    }

    /** Brings this session's scrape-time meters up to date (the scraping thread). */
    void beforeScrape() {
        List<MeterBinder> bound;
        synchronized (this) {
            if (closed) {
                return;
            }
            bound = List.copyOf(binders);
        }
        for (MeterBinder b : bound) {
            if (b instanceof ReadsBeforeScrape reads) {
                reads.beforeScrape();
            }
        }
    }

    /** Removes every meter tagged with this session. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (MeterBinder b : binders) {
                if (b instanceof RegistersLater later) {
                    later.stopRegistering();
                }
            }
        }
        for (Meter m : registry.getMeters()) {
            if (sessionId.equals(m.getId().getTag(SESSION_TAG))) {
                registry.remove(m);
            }
        }
        onClose.run();
    }
}
