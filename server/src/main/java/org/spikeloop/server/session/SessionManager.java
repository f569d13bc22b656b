package org.spikeloop.server.session;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.security.AuditLog;

/**
 * The sessions of this replica: creates them within {@code limits.maxSessions}, finds them by id,
 * stops them, and audits each create/stop. Control plane only.
 *
 * <p>Threading: safe from any thread (creation is serialised to keep the limit exact).
 */
public final class SessionManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    private final ServerConfig config;
    private final SessionFactory factory;
    private final AuditLog audit;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ThreadFactory threads;
    private final ErrorHandler errors = t -> LOG.error("session agent failed", t);
    private final List<AgentPool> engines;
    private final AgentPool publishers; // null when co-located on the engine threads
    private final AgentPool sources; // null when co-located on the engine threads
    private final AgentPool delivery; // the watchers' thread; the publishers' pool when separate
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    public SessionManager(ServerConfig config, SessionFactory factory, AuditLog audit) {
        this.config = config;
        this.factory = factory;
        this.audit = audit;
        AtomicInteger n = new AtomicInteger();
        this.threads =
                r -> {
                    Thread t = new Thread(r, "spikeloop-agent-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
        List<AgentPool> pools = new ArrayList<>();
        for (int i = 0; i < config.engineThreads(); i++) {
            AgentPool pool =
                    new AgentPool(
                            "spikeloop-engines-" + i,
                            IdleStrategies.create(config.idleStrategy()),
                            errors,
                            threads,
                            config.engineRealtimePriority());
            if (pool.realtimeRefusal() != null) {
                LOG.warn(
                        "engine.realtimePriority={}: {} runs at normal priority: {}",
                        config.engineRealtimePriority(),
                        pool.name(),
                        pool.realtimeRefusal());
            } else if (config.engineRealtimePriority() > 0) {
                LOG.info(
                        "{} runs SCHED_FIFO at priority {}",
                        pool.name(),
                        config.engineRealtimePriority());
            }
            pools.add(pool);
        }
        this.engines = List.copyOf(pools);
        // Co-located (the default), each engine thread also runs its sessions' sources and
        // publishers; otherwise one shared thread for each role.
        this.publishers =
                config.engineColocate()
                        ? null
                        : new AgentPool(
                                "spikeloop-publishers",
                                IdleStrategies.create(config.idleStrategy()),
                                errors,
                                threads);
        this.sources =
                config.engineColocate()
                        ? null
                        : new AgentPool(
                                "spikeloop-lsl-sources",
                                IdleStrategies.create(config.idleStrategy()),
                                errors,
                                threads);
        // Watchers are served off the engine threads: gRPC allocates per message (its framing and
        // Netty's write path), and an engine thread allocates nothing. The delivery thread parks
        // until an engine that published wakes it (no spinning beside the engines).
        this.delivery =
                config.engineColocate()
                        ? new AgentPool(
                                "spikeloop-delivery",
                                IdleStrategies.parkUntilWoken(),
                                errors,
                                threads)
                        : publishers;
    }

    public ServerConfig config() {
        return config;
    }

    /** Adds a listener told of every later session start and stop. */
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    /**
     * Creates and starts a session.
     *
     * @throws ServerException RESOURCE_EXHAUSTED at the session limit; INVALID_ARGUMENT, NOT_FOUND
     *     or FAILED_PRECONDITION for a bad spec
     */
    public synchronized Session create(SessionConfig spec, String who) {
        if (sessions.size() >= config.maxSessions()) {
            throw new ServerException(
                    ServerException.Kind.RESOURCE_EXHAUSTED,
                    "limits.maxSessions = "
                            + config.maxSessions()
                            + " sessions are running; stop one first");
        }
        String id = newId();
        Session session = factory.create(id, spec);
        try {
            AgentPool engine = leastLoadedEngines();
            if (config.engineColocate()) {
                session.start(engine, engine, engine, delivery);
            } else {
                session.start(engine, publishers, sources, delivery);
            }
            for (SessionListener l : listeners) {
                l.created(session, who);
            }
        } catch (RuntimeException e) {
            session.stop();
            for (SessionListener l : listeners) {
                l.stopped(id);
            }
            throw e;
        }
        sessions.put(id, session);
        audit.record(who, "session.create", id, "", describe(spec));
        LOG.info(
                "session {} created by {}: {} channels at {} Hz",
                id,
                who,
                spec.channels(),
                spec.sampleRateHz());
        return session;
    }

    /**
     * The engine thread hosting the fewest sessions (the first such on a tie). Called under the
     * creation lock, so two creations never pick on the same stale count.
     */
    private AgentPool leastLoadedEngines() {
        List<Integer> counts = sessionsPerEngineThread();
        int best = 0;
        for (int i = 1; i < counts.size(); i++) {
            if (counts.get(i) < counts.get(best)) {
                best = i;
            }
        }
        return engines.get(best);
    }

    /** Sessions per engine thread, in thread order (for tests and diagnostics). */
    public List<Integer> sessionsPerEngineThread() {
        List<Integer> n = new ArrayList<>();
        for (AgentPool p : engines) {
            int k = 0;
            for (Session s : sessions.values()) {
                if (s.enginePool() == p) {
                    k++;
                }
            }
            n.add(k);
        }
        return n;
    }

    /**
     * @throws ServerException NOT_FOUND naming the id
     */
    public Session get(String id) {
        if (id == null || id.isEmpty()) {
            throw ServerException.invalid("session_id: required");
        }
        Session s = sessions.get(id);
        if (s == null) {
            throw ServerException.notFound("session_id: no session '" + id + "'");
        }
        return s;
    }

    /** Running sessions, oldest first. */
    public List<Session> list() {
        List<Session> all = new ArrayList<>(sessions.values());
        all.sort(Comparator.comparingLong(Session::createdUnixMs).thenComparing(Session::id));
        return all;
    }

    /** Stops and forgets a session; its watchers' streams complete. */
    public Session stop(String id, String who) {
        Session s = get(id);
        String before = s.status().name();
        s.stop();
        sessions.remove(id, s);
        for (SessionListener l : listeners) {
            l.stopped(id);
        }
        audit.record(who, "session.stop", id, before, "STOPPED");
        LOG.info("session {} stopped by {}", id, who);
        return s;
    }

    @Override
    public void close() {
        for (Session s : list()) {
            s.stop();
            sessions.remove(s.id(), s);
            for (SessionListener l : listeners) {
                l.stopped(s.id());
            }
        }
        if (sources != null) {
            sources.close();
        }
        for (AgentPool p : engines) {
            p.close();
        }
        if (publishers != null) {
            publishers.close();
        }
        if (delivery != publishers) {
            delivery.close();
        }
    }

    /**
     * {@code s-<hex>}, or {@code <replica.id>.s-<hex>} so the id names its owner (ops/README.md).
     */
    private String newId() {
        String prefix = config.replicaId() == null ? "s-" : config.replicaId() + ".s-";
        byte[] b = new byte[6];
        String id;
        do {
            random.nextBytes(b);
            id = prefix + HexFormat.of().formatHex(b);
        } while (sessions.containsKey(id));
        return id;
    }

    private static String describe(SessionConfig c) {
        return "name="
                + c.name()
                + " channels="
                + c.channels()
                + " rateHz="
                + c.sampleRateHz()
                + " decoder="
                + c.decoder()
                + " learning="
                + c.learningEnabled()
                + " source="
                + c.source();
    }
}
