package org.spikeloop.server.session;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.metrics.CapacityMeters;
import org.spikeloop.server.os.CpuWakeLatency;
import org.spikeloop.server.os.ThreadNice;
import org.spikeloop.server.security.AuditLog;

/**
 * The sessions of this replica: admits them ({@link Admission}: {@code limits.maxSessions}, the
 * memory and engine-CPU budgets), builds them on the session builder's thread, finds them by id,
 * stops them, and audits each create/stop. Control plane only.
 *
 * <p>Building happens on one thread of its own ({@code spikeloop-session-builder}, nice {@value
 * #BUILDER_NICE}), never on an engine thread: a large session's weights are initialised and its
 * rings allocated there, and only the finished engine is handed to an engine thread. An engine
 * thread that dies ({@link EngineMonitor}) puts its sessions into ERROR; new sessions then go to a
 * fresh thread in its place, and the dead thread's sessions can still be stopped.
 *
 * <p>Threading: safe from any thread (creation is serialised to keep the limits exact).
 */
public final class SessionManager implements AutoCloseable, CapacityMeters.Source {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /** Nice value of the session builder's thread: it yields the cores to the engines. */
    static final int BUILDER_NICE = 10;

    private final ServerConfig config;
    private final SessionFactory factory;
    private final AuditLog audit;
    private final Admission admission;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ThreadFactory threads;
    private final AtomicLong agentFailures = new AtomicLong();
    private final ErrorHandler errors =
            t -> {
                agentFailures.incrementAndGet(); // first: it allocates nothing
                LOG.error("session agent failed", t);
            };
    private final List<AgentPool> engines; // index i: engine thread i (replaced when it dies)
    private final List<AgentPool> allPools = new CopyOnWriteArrayList<>();
    private AgentPool publishers; // null when co-located on the engine threads
    private AgentPool sources; // null when co-located on the engine threads
    private int replacements;
    private final ExecutorService builder;
    private final EngineMonitor monitor;
    private AgentPool
            delivery; // the watchers' thread; null when not co-located (the publishers serve them)
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final CpuWakeLatencyWhileDecoding wakeLatency; // null: engine.cpuWakeLatencyUs=-1

    public SessionManager(ServerConfig config, SessionFactory factory, AuditLog audit) {
        this(config, factory, audit, Runtime.getRuntime().maxMemory());
    }

    /**
     * @param maxHeapBytes the heap the memory budget is a share of (tests pass their own)
     */
    SessionManager(ServerConfig config, SessionFactory factory, AuditLog audit, long maxHeapBytes) {
        this.config = config;
        this.factory = factory;
        this.audit = audit;
        this.admission = new Admission(config, maxHeapBytes);
        AtomicInteger n = new AtomicInteger();
        this.threads =
                r -> {
                    Thread t = new Thread(r, "spikeloop-agent-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
        List<AgentPool> pools = new ArrayList<>();
        for (int i = 0; i < config.engineThreads(); i++) {
            pools.add(newEnginePool("spikeloop-engines-" + i));
        }
        this.engines = pools;
        // Co-located (the default), each engine thread also runs its sessions' sources and
        // publishers; otherwise one shared thread for each role.
        this.publishers = config.engineColocate() ? null : newPool("spikeloop-publishers");
        this.sources = config.engineColocate() ? null : newPool("spikeloop-lsl-sources");
        this.builder =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t =
                                    new Thread(
                                            () -> {
                                                ThreadNice.setCurrentThreadNice(BUILDER_NICE);
                                                r.run();
                                            },
                                            "spikeloop-session-builder");
                            t.setDaemon(true);
                            return t;
                        });
        // Watchers are served off the engine threads: gRPC allocates per message (its framing and
        // Netty's write path), and an engine thread allocates nothing. The delivery thread parks
        // until an engine that published wakes it (no spinning beside the engines).
        this.delivery =
                config.engineColocate()
                        ? newPool("spikeloop-delivery", IdleStrategies.parkUntilWoken())
                        : null;
        this.monitor = new EngineMonitor(() -> allPools);
        this.wakeLatency =
                config.engineCpuWakeLatencyUs() < 0
                        ? null
                        : new CpuWakeLatencyWhileDecoding(
                                config.engineCpuWakeLatencyUs(), CpuWakeLatency::request);
        if (wakeLatency != null) {
            listeners.add(wakeLatency);
        }
    }

    /**
     * The CPU wake-up latency request ({@code engine.cpuWakeLatencyUs}): {@code held N us}, {@code
     * refused: why}, {@code none} while no session runs, or {@code off}.
     */
    public String cpuWakeLatency() {
        return wakeLatency == null ? "off" : wakeLatency.state();
    }

    private AgentPool newEnginePool(String name) {
        int priority = config.engineRealtimePriorityToAsk();
        AgentPool pool =
                new AgentPool(
                        name,
                        IdleStrategies.create(config.idleStrategy()),
                        errors,
                        threads,
                        priority);
        boolean auto = config.engineRealtimePriority() == ServerConfig.REALTIME_AUTO;
        if (pool.realtimeRefusal() != null && auto) {
            // The default asks and takes no for an answer: most containers do not grant it.
            LOG.info(
                    "{} runs at normal priority: the OS refused SCHED_FIFO ({}); grant an rtprio"
                            + " limit for real-time engines (ops/README.md, \"Sizing\")",
                    pool.name(),
                    pool.realtimeRefusal());
        } else if (pool.realtimeRefusal() != null) {
            LOG.warn(
                    "engine.realtimePriority={}: {} runs at normal priority: {}",
                    config.engineRealtimePriority(),
                    pool.name(),
                    pool.realtimeRefusal());
        } else if (priority > 0) {
            LOG.info("{} runs SCHED_FIFO at priority {}", pool.name(), priority);
        } else if (auto) {
            LOG.info("{} runs at normal priority: {}", pool.name(), config.realtimeAutoDeclined());
        }
        allPools.add(pool);
        return pool;
    }

    private AgentPool newPool(String name) {
        AgentPool pool =
                new AgentPool(name, IdleStrategies.create(config.idleStrategy()), errors, threads);
        allPools.add(pool);
        return pool;
    }

    private AgentPool newPool(String name, IdleStrategy idle) {
        AgentPool pool = new AgentPool(name, idle, errors, threads);
        allPools.add(pool);
        return pool;
    }

    public ServerConfig config() {
        return config;
    }

    /** Adds a listener told of every later session start and stop. */
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    /**
     * Admits, builds and starts a session.
     *
     * @throws ServerException RESOURCE_EXHAUSTED at the session limit or over the memory or CPU
     *     budget (naming it), or when the heap runs out while building; INVALID_ARGUMENT, NOT_FOUND
     *     or FAILED_PRECONDITION for a bad spec; UNAVAILABLE when the audit log cannot record the
     *     creation (the session is then stopped and released, never left running)
     */
    public synchronized Session create(SessionConfig spec, String who) {
        admission.checkSessionCount(sessions.size());
        SessionFactory.Prepared prepared = factory.prepare(spec);
        SessionFootprint footprint = factory.footprint(prepared);
        admission.checkMemory(footprint, sessions.values());
        AgentPool engine = admission.chooseEngine(footprint, liveEngines(), sessions.values());
        String id = newId();
        Session session = build(id, prepared, footprint);
        try {
            if (config.engineColocate()) {
                session.start(engine, engine, engine, liveDelivery());
            } else {
                session.start(engine, livePublishers(), liveSources(), livePublishers());
            }
            for (SessionListener l : listeners) {
                l.created(session, who);
            }
            auditCreation(session, spec, who);
        } catch (RuntimeException | OutOfMemoryError e) {
            session.stop();
            for (SessionListener l : listeners) {
                l.stopped(id);
            }
            throw e instanceof OutOfMemoryError oom
                    ? outOfMemory(oom, footprint)
                    : (RuntimeException) e;
        }
        sessions.put(id, session);
        LOG.info(
                "session {} created by {}: {} channels at {} Hz, about {}",
                id,
                who,
                spec.channels(),
                spec.sampleRateHz(),
                SessionFootprint.bytes(footprint.totalBytes()));
        return session;
    }

    /**
     * Writes the session's {@code session.create} line, or refuses the creation. The line is the
     * last step before the session becomes visible: after it started and its listeners took it
     * (either may still refuse it, and an earlier line would then record a session that never ran),
     * before it is listed or returned. So the audit log has a create line exactly for the sessions
     * a client was given; a session whose line cannot be written (a full disk) is stopped by {@link
     * #create} and released (its admission slot, engine and LSL endpoints), never left running
     * unaudited while its client is told the creation failed.
     *
     * @throws ServerException UNAVAILABLE naming the audit log's failure
     */
    private void auditCreation(Session session, SessionConfig spec, String who) {
        try {
            audit.record(who, "session.create", session.id(), "", describe(spec));
        } catch (RuntimeException e) {
            LOG.error(
                    "session {}: the audit log did not take its creation; the session is stopped",
                    session.id(),
                    e);
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    "audit log: cannot record the session's creation ("
                            + e.getMessage()
                            + (e.getCause() != null ? ": " + e.getCause().getMessage() : "")
                            + "); the session was not created",
                    e);
        }
    }

    /**
     * Builds the session on the builder's thread and waits for it. If the caller is interrupted
     * meanwhile, a session that is still built is stopped when it is done.
     */
    private Session build(String id, SessionFactory.Prepared prepared, SessionFootprint fp) {
        CompletableFuture<Session> f =
                CompletableFuture.supplyAsync(() -> factory.create(id, prepared, fp), builder);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.thenAccept(Session::stop);
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE, "interrupted while building the session");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof OutOfMemoryError oom) {
                throw outOfMemory(oom, fp);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("building session " + id + " failed", cause);
        }
    }

    /**
     * The refusal for a heap that ran out while a session was built or started: the allocation
     * failed on the control plane, the half-built session is garbage, and the engines are
     * untouched. Reported (logged with the estimate it beat), not swallowed.
     */
    private ServerException outOfMemory(OutOfMemoryError e, SessionFootprint fp) {
        LOG.error(
                "out of memory while building a session estimated at {}; it was refused",
                fp.describeMemory(EngineAgent.ROLLBACK_DEPTH),
                e);
        return new ServerException(
                ServerException.Kind.RESOURCE_EXHAUSTED,
                "admission: memory: the heap ran out while building the session ("
                        + e.getMessage()
                        + ") although its estimate, "
                        + SessionFootprint.bytes(fp.totalBytes())
                        + ", fitted the budget; lower admission.heapFraction",
                e);
    }

    /** The engine threads, each replaced by a fresh one if it died (creation lock held). */
    private List<AgentPool> liveEngines() {
        for (int i = 0; i < engines.size(); i++) {
            AgentPool p = engines.get(i);
            if (p.isDead()) {
                AgentPool fresh = newEnginePool(p.name() + ".r" + (++replacements));
                LOG.warn("{} died; new sessions go to {}", p.name(), fresh.name());
                engines.set(i, fresh);
            }
        }
        return List.copyOf(engines);
    }

    private AgentPool livePublishers() {
        if (publishers.isDead()) {
            publishers = newPool("spikeloop-publishers.r" + (++replacements));
        }
        return publishers;
    }

    private AgentPool liveDelivery() {
        if (delivery.isDead()) {
            delivery =
                    newPool(
                            "spikeloop-delivery.r" + (++replacements),
                            IdleStrategies.parkUntilWoken());
        }
        return delivery;
    }

    private AgentPool liveSources() {
        if (sources.isDead()) {
            sources = newPool("spikeloop-lsl-sources.r" + (++replacements));
        }
        return sources;
    }

    /** The memory budget of admission control, in bytes. */
    @Override
    public long memoryBudgetBytes() {
        return admission.memoryBudgetBytes();
    }

    /** Bytes the running sessions' admitted footprints take together. */
    @Override
    public long memoryCommittedBytes() {
        return Admission.committedBytes(sessions.values());
    }

    /** Sessions refused so far for {@code budget} ("sessions", "memory" or "cpu"). */
    @Override
    public long admissionRefusals(String budget) {
        return admission.refusals(Admission.Budget.valueOf(budget.toUpperCase(Locale.ROOT)));
    }

    /** Engine, publisher or source threads that died so far. */
    @Override
    public long agentThreadDeaths() {
        return monitor.threadDeaths();
    }

    /** Session agents that threw out of their cycle so far. */
    @Override
    public long agentFailures() {
        return agentFailures.get();
    }

    /** Checks the agent threads now (the monitor does it every 100 ms). */
    void checkAgentThreads() {
        monitor.check();
    }

    /** The admitted footprint of a session spec, without creating it (diagnostics, tests). */
    SessionFootprint footprint(SessionConfig spec) {
        return factory.footprint(factory.prepare(spec));
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
        monitor.close();
        if (wakeLatency != null) {
            wakeLatency.close();
        }
        builder.shutdownNow();
        // Sources (the producers) first, then the engines, then the publishers; replaced pools too.
        for (String role : List.of("spikeloop-lsl-sources", "spikeloop-engines", "")) {
            for (AgentPool p : allPools) {
                if (p.name().startsWith(role)) {
                    p.close();
                }
            }
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
