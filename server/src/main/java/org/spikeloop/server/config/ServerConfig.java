package org.spikeloop.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every setting of {@code spikeloop serve}, in one place, validated once at start-up. Loaded from a
 * Java properties file ({@link #load}); command-line options override single keys. Defaults (the
 * embedded demo: loopback only, no TLS, no tokens) are listed in {@link #defaults()}.
 *
 * @param grpcHost address the gRPC server binds (default 127.0.0.1)
 * @param grpcPort port (default 50051; 0 = any free port)
 * @param healthPort plaintext, health-only ({@code grpc.health.v1}) port on {@code grpcHost}, for
 *     probes that cannot do TLS or tokens (Kubernetes' gRPC probes); 0 = off (default)
 * @param metricsHost address of the Prometheus endpoint (default 127.0.0.1)
 * @param metricsPort port of the Prometheus endpoint (default 9464; 0 = any free; −1 = off)
 * @param tlsCertChain PEM certificate chain, or null for plaintext
 * @param tlsPrivateKey PEM private key (PKCS#8), required with a certificate
 * @param tlsClientCa PEM CA bundle: when set, clients must present a certificate it signed (mTLS)
 * @param tokensFile bearer tokens ({@code name role token} per line), or null for no authentication
 * @param insecure allow a non-loopback bind without TLS and tokens
 * @param replicaId this replica's name (a DNS label) prefixed to session ids ({@code
 *     <replicaId>.s-<hex>}) so an id names the replica that owns it, or null for plain {@code
 *     s-<hex>}
 * @param auditLog append-only audit log file (JSON lines)
 * @param checkpointDir directory of checkpoints that sessions load and snapshot into
 * @param recordingsDir directory of the sessions' XDF recordings (default {@code recordings})
 * @param recordingEnabled whether sessions record their samples, labels and outputs (default true)
 * @param maxMessageBytes largest inbound gRPC message
 * @param maxSessions sessions at once
 * @param maxWatchersPerSession Watch streams per session
 * @param maxIngestSamplesPerSecond rows a session's sample (or label) ingest may take per second,
 *     across all its streams; every chunk costs at least one (token bucket, one second of burst)
 * @param inputRingSamples samples the input ring holds per session
 * @param outputRingFrames frames the output ring holds per session
 * @param commandQueueCapacity control commands queued per session
 * @param commandTimeoutMs how long a caller waits for a session's engine to answer a control
 *     command (learning mode, parameters and state, checkpoint loads, snapshots, roll backs) before
 *     it is answered UNAVAILABLE; a command not yet taken by then is never run (default 10 000)
 * @param idleStrategy engine idle strategy: backoff, yield, busy, sleep or paced
 * @param engineThreads threads that step the sessions' decoders; each session is owned by exactly
 *     one, sessions go to the thread with the fewest (default {@link #defaultEngineThreads()})
 * @param engineColocate whether each engine thread also runs its sessions' LSL sources, frame
 *     publishers and recorders (default true: a sample is pulled, stepped and published in one
 *     cycle, with no hand-off between threads); false = one shared thread for all publishers and
 *     one for all LSL sources
 * @param engineRealtimePriority {@link #REALTIME_AUTO} ({@code auto}, the default): each engine
 *     thread asks Linux for SCHED_FIFO at {@link #AUTO_REALTIME_PRIORITY} when the process may (an
 *     rtprio limit or CAP_SYS_NICE), the engine threads leave a core free and the idle strategy
 *     parks ({@code sleep} or {@code paced}), and runs as an ordinary thread otherwise, saying why
 *     at start; 0: off; 1–99: asked for at this priority, with those conditions checked here and a
 *     warning when the OS refuses
 * @param engineCpuWakeLatencyUs the CPU wake-up latency, µs, the server asks Linux for while
 *     sessions run ({@code /dev/cpu_dma_latency}: idle CPUs poll instead of halting; default 0,
 *     taken where the process may write that file and logged as refused otherwise); -1: no request
 * @param stallAfterS default seconds without input before a session is STALLED
 * @param liveEdgeMaxLagMs how far (ms of samples waiting in its input ring) a session's engine may
 *     fall behind before it skips to the live edge, for sessions that do not set their own bound
 *     (default 50; 0 = sessions decode everything unless they ask for a bound)
 * @param warmupSteps steps a scratch copy of each new session's decoder and learner takes before
 *     the session starts, so that its kernels are compiled by its first sample (default 3000, at
 *     most 2 s; 0 = none)
 * @param learningRateMin lowest learning rate an operator may set
 * @param learningRateMax highest learning rate an operator may set
 * @param learningRateDefault learning rate of a new session
 * @param updateIntervalMin smallest update interval (steps)
 * @param updateIntervalMax largest update interval (steps)
 * @param updateIntervalDefault update interval of a new session
 * @param admission admission control: the memory and engine-CPU budgets of new sessions
 * @param requests per-client limits: ingest bytes per session, Watch slots reserved for operators
 * @param audit how refused calls are audited (in aggregate)
 * @param lsl liblsl's exposure: outlets allowed, discovery scope, responder address
 * @param transport the gRPC listener's connection, stream, keep-alive and thread limits
 * @param http the HTTP listener's connection and request limits
 */
public record ServerConfig(
        String grpcHost,
        int grpcPort,
        int healthPort,
        String metricsHost,
        int metricsPort,
        Path tlsCertChain,
        Path tlsPrivateKey,
        Path tlsClientCa,
        Path tokensFile,
        boolean insecure,
        String replicaId,
        Path auditLog,
        Path checkpointDir,
        Path recordingsDir,
        boolean recordingEnabled,
        int maxMessageBytes,
        int maxSessions,
        int maxWatchersPerSession,
        double maxIngestSamplesPerSecond,
        int inputRingSamples,
        int outputRingFrames,
        int commandQueueCapacity,
        int commandTimeoutMs,
        String idleStrategy,
        int engineThreads,
        boolean engineColocate,
        int engineRealtimePriority,
        int engineCpuWakeLatencyUs,
        double stallAfterS,
        double liveEdgeMaxLagMs,
        int warmupSteps,
        double learningRateMin,
        double learningRateMax,
        double learningRateDefault,
        int updateIntervalMin,
        int updateIntervalMax,
        int updateIntervalDefault,
        AdmissionConfig admission,
        RequestLimits requests,
        AuditConfig audit,
        LslConfig lsl,
        TransportConfig transport,
        HttpConfig http) {

    private static final Set<String> IDLE = Set.of("backoff", "yield", "busy", "sleep", "paced");

    /** Largest {@code engine.cpuWakeLatencyUs}: more than any decoder's step period is no help. */
    public static final int MAX_CPU_WAKE_LATENCY_US = 100_000;

    /** {@code engine.realtimePriority=auto}: real-time engine threads where the OS allows them. */
    public static final int REALTIME_AUTO = -1;

    /**
     * The SCHED_FIFO priority {@code auto} asks for: above the kernel's threaded interrupt
     * handlers' default of 50 is not needed, and low enough to leave room for an rtkit-managed
     * audio stack.
     */
    public static final int AUTO_REALTIME_PRIORITY = 10;

    /**
     * Idle strategies a real-time engine thread may use: only {@code sleep} and {@code paced} park
     * at once; backoff's spinning phase, never preempted under SCHED_FIFO, kept liblsl's and
     * Netty's threads off the core (9 052 misses against 126 with sleep, 8 sessions,
     * docs/benchmarks.md).
     */
    private static final Set<String> PARKING_IDLE = Set.of("sleep", "paced");

    /**
     * The SCHED_FIFO priority each engine thread asks for when it starts, 0 for none: an explicit
     * 1–99 as given (its conditions were checked when the configuration was built); with {@code
     * auto}, {@link #AUTO_REALTIME_PRIORITY} when the engine threads leave a core free and park
     * when idle, else 0 (why: {@link #realtimeAutoDeclined()}).
     */
    public int engineRealtimePriorityToAsk() {
        if (engineRealtimePriority != REALTIME_AUTO) {
            return engineRealtimePriority;
        }
        return realtimeAutoDeclined() == null ? AUTO_REALTIME_PRIORITY : 0;
    }

    /**
     * With {@code engine.realtimePriority=auto}, why this configuration runs ordinary engine
     * threads without asking the OS, or null when it asks (or the setting is not auto).
     */
    public String realtimeAutoDeclined() {
        if (engineRealtimePriority != REALTIME_AUTO) {
            return null;
        }
        return realtimeUnsafe(engineThreads, idleStrategy);
    }

    /**
     * Why real-time engine threads would starve the rest of the server with these settings, or null
     * when they leave a core free and park as soon as they are idle: the one rule an explicit
     * priority is refused by and {@code auto} declines by.
     */
    private static String realtimeUnsafe(int engineThreads, String idleStrategy) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (engineThreads >= cores) {
            return "engine.threads="
                    + engineThreads
                    + " would hold every one of the "
                    + cores
                    + " cores, and liblsl's, Netty's, the JIT's and the GC's ordinary threads need"
                    + " one: with every core held by a real-time engine they starve and the server"
                    + " collapses (docs/benchmarks.md)";
        }
        if (!PARKING_IDLE.contains(idleStrategy)) {
            return "engine.idleStrategy="
                    + idleStrategy
                    + " does not park as soon as the engine is idle (sleep and paced do), and would"
                    + " keep a core from every other thread";
        }
        return null;
    }

    /** RFC 1123 label: what a Kubernetes pod name is, so the id's prefix is a resolvable host. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public ServerConfig {
        requirePort("grpc.port", grpcPort, false);
        requirePort("health.port", healthPort, false);
        if (healthPort != 0 && healthPort == grpcPort) {
            throw new ConfigException(
                    "health.port: must differ from grpc.port (" + grpcPort + "), or be 0 for off");
        }
        requirePort("metrics.port", metricsPort, true);
        if (replicaId != null && !DNS_LABEL.matcher(replicaId).matches()) {
            throw new ConfigException(
                    "replica.id: must be a DNS label (1-63 of a-z, 0-9 and '-', starting and"
                            + " ending with a letter or digit), got '"
                            + replicaId
                            + "'");
        }
        if (recordingEnabled && recordingsDir == null) {
            throw new ConfigException(
                    "recordings.dir: required when recording.enabled is true (set"
                            + " recording.enabled=false to turn recording off)");
        }
        if (tlsCertChain != null && tlsPrivateKey == null) {
            throw new ConfigException("tls.key: required when tls.cert is set");
        }
        if (tlsPrivateKey != null && tlsCertChain == null) {
            throw new ConfigException("tls.cert: required when tls.key is set");
        }
        if (tlsClientCa != null && tlsCertChain == null) {
            throw new ConfigException("tls.clientCa: mutual TLS needs tls.cert and tls.key");
        }
        requireAtLeast("limits.maxMessageBytes", maxMessageBytes, 1024);
        requireAtLeast("limits.maxSessions", maxSessions, 1);
        requireAtLeast("limits.maxWatchersPerSession", maxWatchersPerSession, 1);
        if (requests != null && requests.operatorWatchSlots() >= maxWatchersPerSession) {
            throw new ConfigException(
                    "limits.operatorWatchSlots: must be below limits.maxWatchersPerSession ("
                            + maxWatchersPerSession
                            + ") so that viewers can watch too, got "
                            + requests.operatorWatchSlots());
        }
        if (!(maxIngestSamplesPerSecond > 0)) {
            throw new ConfigException(
                    "limits.maxIngestSamplesPerSecond: must be > 0, got "
                            + maxIngestSamplesPerSecond);
        }
        requireAtLeast("engine.inputRingSamples", inputRingSamples, 2);
        requireAtLeast("engine.outputRingFrames", outputRingFrames, 2);
        requireAtLeast("engine.commandQueueCapacity", commandQueueCapacity, 2);
        requireAtLeast("engine.commandTimeoutMs", commandTimeoutMs, 1);
        if (!IDLE.contains(idleStrategy)) {
            throw new ConfigException(
                    "engine.idleStrategy: one of "
                            + new TreeSet<>(IDLE)
                            + ", got '"
                            + idleStrategy
                            + "'");
        }
        requireAtLeast("engine.threads", engineThreads, 1);
        if (engineRealtimePriority != REALTIME_AUTO
                && (engineRealtimePriority < 0 || engineRealtimePriority > 99)) {
            throw new ConfigException(
                    "engine.realtimePriority: auto, 0 (off) or a SCHED_FIFO priority 1-99, got "
                            + engineRealtimePriority);
        }
        if (engineCpuWakeLatencyUs < -1 || engineCpuWakeLatencyUs > MAX_CPU_WAKE_LATENCY_US) {
            throw new ConfigException(
                    "engine.cpuWakeLatencyUs: -1 (no request) or 0-"
                            + MAX_CPU_WAKE_LATENCY_US
                            + " microseconds, got "
                            + engineCpuWakeLatencyUs);
        }
        String unsafe = realtimeUnsafe(engineThreads, idleStrategy);
        if (engineRealtimePriority > 0 && unsafe != null) {
            throw new ConfigException("engine.realtimePriority: " + unsafe);
        }
        if (engineThreads > MAX_ENGINE_THREADS) {
            throw new ConfigException(
                    "engine.threads: at most " + MAX_ENGINE_THREADS + ", got " + engineThreads);
        }
        if (!(stallAfterS > 0)) {
            throw new ConfigException("session.stallAfterS: must be > 0, got " + stallAfterS);
        }
        if (!(liveEdgeMaxLagMs >= 0 && liveEdgeMaxLagMs <= MAX_LIVE_EDGE_MS)) {
            throw new ConfigException(
                    "session.liveEdgeMaxLagMs: must be 0 (decode everything) or a bound in (0, "
                            + MAX_LIVE_EDGE_MS
                            + "] ms, got "
                            + liveEdgeMaxLagMs);
        }
        if (warmupSteps < 0 || warmupSteps > MAX_WARMUP_STEPS) {
            throw new ConfigException(
                    "session.warmupSteps: must be in [0, "
                            + MAX_WARMUP_STEPS
                            + "], got "
                            + warmupSteps);
        }
        if (!(learningRateMin > 0
                && learningRateMin <= learningRateDefault
                && learningRateDefault <= learningRateMax)) {
            throw new ConfigException(
                    "learning.rate.*: need 0 < min <= default <= max, got min="
                            + learningRateMin
                            + " default="
                            + learningRateDefault
                            + " max="
                            + learningRateMax);
        }
        if (!(updateIntervalMin >= 1
                && updateIntervalMin <= updateIntervalDefault
                && updateIntervalDefault <= updateIntervalMax)) {
            throw new ConfigException(
                    "learning.interval.*: need 1 <= min <= default <= max, got min="
                            + updateIntervalMin
                            + " default="
                            + updateIntervalDefault
                            + " max="
                            + updateIntervalMax);
        }
    }

    /** Largest live-edge bound: a decoder minutes behind its stream is no longer live. */
    public static final double MAX_LIVE_EDGE_MS = 60_000;

    /** Default live-edge bound (ms): far above the jitter of a decoder that keeps up. */
    public static final double DEFAULT_LIVE_EDGE_MS = 50;

    /**
     * Default warm-up: enough steps for C2 to compile the step and e-prop kernels (the demo's first
     * second had 15–86 misses without it and 0–4 with it; docs/server.md, "Live edge").
     */
    public static final int DEFAULT_WARMUP_STEPS = 3_000;

    /** Largest warm-up (the time bound of 2 s stops it first on any machine). */
    public static final int MAX_WARMUP_STEPS = 100_000;

    /** Upper bound of {@code engine.threads} (more would only oversubscribe the cores). */
    public static final int MAX_ENGINE_THREADS = 256;

    /**
     * Half the cores, at least one: the other half is left to the LSL sources, the publishers,
     * liblsl's and Netty's threads, so that engine threads that spin do not take the CPU the
     * samples and frames they wait for need (2 cores: one engine thread).
     */
    public static int defaultEngineThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** The embedded defaults. */
    public static ServerConfig defaults() {
        return new ServerConfig(
                "127.0.0.1",
                50051,
                0,
                "127.0.0.1",
                9464,
                null,
                null,
                null,
                null,
                false,
                null,
                Path.of("spikeloop-audit.log"),
                Path.of("checkpoints"),
                Path.of("recordings"),
                true,
                4 * 1024 * 1024,
                16,
                8,
                50_000.0,
                8192,
                4096,
                64,
                10_000,
                "sleep",
                defaultEngineThreads(),
                true,
                REALTIME_AUTO,
                0,
                2.0,
                DEFAULT_LIVE_EDGE_MS,
                DEFAULT_WARMUP_STEPS,
                1e-6,
                0.1,
                1e-3,
                1,
                10_000,
                100,
                AdmissionConfig.defaults(),
                RequestLimits.defaults(),
                AuditConfig.defaults(),
                LslConfig.defaults(),
                TransportConfig.defaults(),
                HttpConfig.defaults());
    }

    /** Properties keys this class reads (anything else in a file is an error). */
    public static final Set<String> KEYS =
            keys(
                    Set.of(
                            "grpc.host",
                            "grpc.port",
                            "health.port",
                            "metrics.host",
                            "metrics.port",
                            "tls.cert",
                            "tls.key",
                            "tls.clientCa",
                            "auth.tokensFile",
                            "insecure",
                            "replica.id",
                            "audit.log",
                            "checkpoints.dir",
                            "recordings.dir",
                            "recording.enabled",
                            "limits.maxMessageBytes",
                            "limits.maxSessions",
                            "limits.maxWatchersPerSession",
                            "limits.maxIngestSamplesPerSecond",
                            "engine.inputRingSamples",
                            "engine.outputRingFrames",
                            "engine.commandQueueCapacity",
                            "engine.commandTimeoutMs",
                            "engine.idleStrategy",
                            "engine.threads",
                            "engine.colocate",
                            "engine.realtimePriority",
                            "engine.cpuWakeLatencyUs",
                            "session.stallAfterS",
                            "session.liveEdgeMaxLagMs",
                            "session.warmupSteps",
                            "learning.rate.min",
                            "learning.rate.max",
                            "learning.rate.default",
                            "learning.interval.min",
                            "learning.interval.max",
                            "learning.interval.default"),
                    AdmissionConfig.KEYS,
                    RequestLimits.KEYS,
                    AuditConfig.KEYS,
                    LslConfig.KEYS,
                    TransportConfig.KEYS,
                    HttpConfig.KEYS);

    @SafeVarargs
    private static Set<String> keys(Set<String>... groups) {
        Set<String> all = new TreeSet<>();
        for (Set<String> g : groups) {
            all.addAll(g);
        }
        return Set.copyOf(all);
    }

    /** Reads a properties file over the defaults; unknown keys and bad values name the key. */
    public static ServerConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot read: " + e.getMessage());
        }
        return apply(defaults(), p);
    }

    /** {@code base} with every key in {@code p} applied. */
    public static ServerConfig apply(ServerConfig base, Properties p) {
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k)) {
                throw new ConfigException(
                        k + ": unknown configuration key (known: " + new TreeSet<>(KEYS) + ")");
            }
        }
        Values v = new Values(p);
        return new ServerConfig(
                v.str("grpc.host", base.grpcHost),
                v.integer("grpc.port", base.grpcPort),
                v.integer("health.port", base.healthPort),
                v.str("metrics.host", base.metricsHost),
                v.integer("metrics.port", base.metricsPort),
                v.path("tls.cert", base.tlsCertChain),
                v.path("tls.key", base.tlsPrivateKey),
                v.path("tls.clientCa", base.tlsClientCa),
                v.path("auth.tokensFile", base.tokensFile),
                v.bool("insecure", base.insecure),
                v.optionalStr("replica.id", base.replicaId),
                v.path("audit.log", base.auditLog),
                v.path("checkpoints.dir", base.checkpointDir),
                v.path("recordings.dir", base.recordingsDir),
                v.bool("recording.enabled", base.recordingEnabled),
                v.integer("limits.maxMessageBytes", base.maxMessageBytes),
                v.integer("limits.maxSessions", base.maxSessions),
                v.integer("limits.maxWatchersPerSession", base.maxWatchersPerSession),
                v.dbl("limits.maxIngestSamplesPerSecond", base.maxIngestSamplesPerSecond),
                v.integer("engine.inputRingSamples", base.inputRingSamples),
                v.integer("engine.outputRingFrames", base.outputRingFrames),
                v.integer("engine.commandQueueCapacity", base.commandQueueCapacity),
                v.integer("engine.commandTimeoutMs", base.commandTimeoutMs),
                v.str("engine.idleStrategy", base.idleStrategy),
                v.integer("engine.threads", base.engineThreads),
                v.bool("engine.colocate", base.engineColocate),
                v.realtimePriority("engine.realtimePriority", base.engineRealtimePriority),
                v.integer("engine.cpuWakeLatencyUs", base.engineCpuWakeLatencyUs),
                v.dbl("session.stallAfterS", base.stallAfterS),
                v.dbl("session.liveEdgeMaxLagMs", base.liveEdgeMaxLagMs),
                v.integer("session.warmupSteps", base.warmupSteps),
                v.dbl("learning.rate.min", base.learningRateMin),
                v.dbl("learning.rate.max", base.learningRateMax),
                v.dbl("learning.rate.default", base.learningRateDefault),
                v.integer("learning.interval.min", base.updateIntervalMin),
                v.integer("learning.interval.max", base.updateIntervalMax),
                v.integer("learning.interval.default", base.updateIntervalDefault),
                AdmissionConfig.apply(v, base.admission),
                RequestLimits.apply(
                        v,
                        base.requests,
                        v.integer("limits.maxWatchersPerSession", base.maxWatchersPerSession)),
                AuditConfig.apply(v, base.audit),
                LslConfig.apply(v, base.lsl),
                TransportConfig.apply(v, base.transport),
                HttpConfig.apply(v, base.http));
    }

    /** Whether authentication is on. */
    public boolean tokensEnabled() {
        return tokensFile != null;
    }

    /** Whether gRPC uses TLS. */
    public boolean tlsEnabled() {
        return tlsCertChain != null;
    }

    private static void requirePort(String key, int port, boolean allowOff) {
        if (port < (allowOff ? -1 : 0) || port > 65535) {
            throw new ConfigException(key + ": not a port: " + port);
        }
    }

    private static void requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException(key + ": must be >= " + min + ", got " + value);
        }
    }

    /**
     * Admission control by resources (docs/server.md, "Limits"): what a new session may take,
     * checked before it is built.
     *
     * @param heapFraction share of the JVM's maximum heap ({@code -Xmx}) all sessions' estimated
     *     memory may take together (default 0.6; (0, 1])
     * @param engineCpuFraction share of one engine thread's time its sessions' steps may take, each
     *     session's step time over its step period (default 0.8; (0, 1])
     * @param stepNsPerSynapse engine time per synapse per step assumed for a session that has not
     *     stepped yet (default 0.1 ns, from the e-prop step benchmarks; ≥ 0)
     */
    public record AdmissionConfig(
            double heapFraction, double engineCpuFraction, double stepNsPerSynapse) {
        static final Set<String> KEYS =
                Set.of(
                        "admission.heapFraction",
                        "admission.engineCpuFraction",
                        "admission.stepNsPerSynapse");

        public AdmissionConfig {
            requireFraction("admission.heapFraction", heapFraction);
            requireFraction("admission.engineCpuFraction", engineCpuFraction);
            if (!(stepNsPerSynapse >= 0) || !Double.isFinite(stepNsPerSynapse)) {
                throw new ConfigException(
                        "admission.stepNsPerSynapse: must be a finite value >= 0, got "
                                + stepNsPerSynapse);
            }
        }

        static AdmissionConfig defaults() {
            return new AdmissionConfig(0.6, 0.8, 0.1);
        }

        static AdmissionConfig apply(Values v, AdmissionConfig base) {
            return new AdmissionConfig(
                    v.dbl("admission.heapFraction", base.heapFraction),
                    v.dbl("admission.engineCpuFraction", base.engineCpuFraction),
                    v.dbl("admission.stepNsPerSynapse", base.stepNsPerSynapse));
        }
    }

    private static void requireFraction(String key, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new ConfigException(key + ": must be in (0, 1], got " + value);
        }
    }

    /**
     * What one client may ask of a session (docs/server.md, "Limits").
     *
     * @param maxIngestBytesPerSecond message bytes a session's sample (or label) ingest may take
     *     per second, across all its streams (token bucket, one second of burst; default 32 MiB,
     *     enough for 4096 channels at 2 kHz)
     * @param operatorWatchSlots of {@code limits.maxWatchersPerSession}, the Watch streams only an
     *     operator may open, so viewers cannot lock operators out (default 2, or the maximum − 1
     *     when that is smaller and the key is not given; below the maximum)
     * @param maxIdChars longest id a request may carry ({@code session_id}, job and checkpoint ids;
     *     default 128)
     * @param maxNameChars longest other string a request may carry (names, stream names and types,
     *     cues, reasons, file names; default 256); {@code config_json} is bounded by {@code
     *     limits.maxMessageBytes} only
     */
    public record RequestLimits(
            double maxIngestBytesPerSecond,
            int operatorWatchSlots,
            int maxIdChars,
            int maxNameChars) {
        static final Set<String> KEYS =
                Set.of(
                        "limits.maxIngestBytesPerSecond",
                        "limits.operatorWatchSlots",
                        "limits.maxIdChars",
                        "limits.maxNameChars");

        public RequestLimits {
            if (!(maxIngestBytesPerSecond >= 1024) || !Double.isFinite(maxIngestBytesPerSecond)) {
                throw new ConfigException(
                        "limits.maxIngestBytesPerSecond: must be a finite value >= 1024, got "
                                + maxIngestBytesPerSecond);
            }
            requireAtLeast("limits.operatorWatchSlots", operatorWatchSlots, 0);
            // Ids the server makes are up to 77 characters (a 63-character replica id, ".s-", 12
            // hex digits); registry content ids are 64 hex digits.
            requireAtLeast("limits.maxIdChars", maxIdChars, 80);
            requireAtLeast("limits.maxNameChars", maxNameChars, 16);
        }

        static RequestLimits defaults() {
            return new RequestLimits(32.0 * 1024 * 1024, 2, 128, 256);
        }

        /**
         * @param maxWatchers the {@code limits.maxWatchersPerSession} these limits go with: when
         *     {@code limits.operatorWatchSlots} is not given, the slots inherited are lowered to
         *     {@code maxWatchers − 1}, so that lowering the watcher limit alone never fails; an
         *     operatorWatchSlots given with the maximum or above it is refused
         */
        static RequestLimits apply(Values v, RequestLimits base, int maxWatchers) {
            int slots =
                    v.p().containsKey("limits.operatorWatchSlots")
                            ? v.integer("limits.operatorWatchSlots", base.operatorWatchSlots)
                            : Math.max(0, Math.min(base.operatorWatchSlots, maxWatchers - 1));
            return new RequestLimits(
                    v.dbl("limits.maxIngestBytesPerSecond", base.maxIngestBytesPerSecond),
                    slots,
                    v.integer("limits.maxIdChars", base.maxIdChars),
                    v.integer("limits.maxNameChars", base.maxNameChars));
        }
    }

    /**
     * How refused calls reach the audit log: in aggregate, never an fsync per refusal.
     *
     * @param refusalSummaryS one summary line per this many seconds with refusals in them (default
     *     10; 0.1..3600)
     * @param refusalSamples refused calls per interval listed with who, method and peer (default 5;
     *     0..100)
     */
    public record AuditConfig(double refusalSummaryS, int refusalSamples) {
        static final Set<String> KEYS = Set.of("audit.refusalSummaryS", "audit.refusalSamples");

        public AuditConfig {
            if (!(refusalSummaryS >= 0.1 && refusalSummaryS <= 3600)) {
                throw new ConfigException(
                        "audit.refusalSummaryS: must be in [0.1, 3600], got " + refusalSummaryS);
            }
            if (refusalSamples < 0 || refusalSamples > 100) {
                throw new ConfigException(
                        "audit.refusalSamples: must be in [0, 100], got " + refusalSamples);
            }
        }

        static AuditConfig defaults() {
            return new AuditConfig(10, 5);
        }

        static AuditConfig apply(Values v, AuditConfig base) {
            return new AuditConfig(
                    v.dbl("audit.refusalSummaryS", base.refusalSummaryS),
                    v.integer("audit.refusalSamples", base.refusalSamples));
        }
    }

    /**
     * What the server's liblsl shows of itself on the network (docs/server.md, "Security").
     *
     * @param outlets whether a session may publish an LSL outlet of its decoded outputs (default
     *     false). liblsl binds an outlet's data port on every network interface whatever the
     *     settings below say, so anyone who can reach this host can read the outputs: allow it only
     *     on a network you trust
     * @param resolveScope liblsl's discovery scope ({@code [multicast] ResolveScope}): machine
     *     (default: discovery never leaves this host), link, site, organization or global; "" =
     *     liblsl's own configuration file decides
     * @param listenAddress the address liblsl's discovery responders bind ({@code [multicast]
     *     ListenAddress}; default 127.0.0.1, like {@code grpc.host}); "" = liblsl's own
     *     configuration file decides
     */
    public record LslConfig(boolean outlets, String resolveScope, String listenAddress) {
        static final Set<String> KEYS =
                Set.of("lsl.outlets", "lsl.resolveScope", "lsl.listenAddress");

        private static final Set<String> SCOPES =
                Set.of("", "machine", "link", "site", "organization", "global");
        private static final Pattern IP_LITERAL =
                Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3})|([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)");

        public LslConfig {
            resolveScope = resolveScope == null ? "" : resolveScope;
            listenAddress = listenAddress == null ? "" : listenAddress;
            if (!SCOPES.contains(resolveScope)) {
                throw new ConfigException(
                        "lsl.resolveScope: one of machine, link, site, organization, global, or"
                                + " empty for liblsl's own configuration, got '"
                                + resolveScope
                                + "'");
            }
            if (!listenAddress.isEmpty() && !IP_LITERAL.matcher(listenAddress).matches()) {
                throw new ConfigException(
                        "lsl.listenAddress: an IP address (liblsl does not resolve names here), or"
                                + " empty for liblsl's own configuration, got '"
                                + listenAddress
                                + "'");
            }
        }

        static LslConfig defaults() {
            return new LslConfig(false, "machine", "127.0.0.1");
        }

        static LslConfig apply(Values v, LslConfig base) {
            return new LslConfig(
                    v.bool("lsl.outlets", base.outlets),
                    v.str("lsl.resolveScope", base.resolveScope),
                    v.str("lsl.listenAddress", base.listenAddress));
        }
    }

    /**
     * The gRPC listener's limits (docs/server.md, "Limits"): what one client can hold open and how
     * long a connection may sit without doing its part.
     *
     * @param maxConnections connections open at once (default 256); more are closed at accept
     * @param maxConnectionsPerPeer connections open at once from one IP address (default 32)
     * @param maxConcurrentStreamsPerConnection concurrent calls on one HTTP/2 connection (default
     *     100, HTTP/2's SETTINGS_MAX_CONCURRENT_STREAMS)
     * @param handshakeTimeoutS time a new connection has to finish TLS and send the HTTP/2 preface
     *     and settings before it is closed (default 10 s)
     * @param keepAliveTimeS the server pings a connection idle this long (default 60 s) ...
     * @param keepAliveTimeoutS ... and closes it when the ping is not answered within this (default
     *     20 s)
     * @param permitKeepAliveTimeS clients may ping at most this often; faster pings end the
     *     connection (GOAWAY ENHANCE_YOUR_CALM; default 10 s)
     * @param maxConnectionIdleS a connection with no call for this long is closed gracefully
     *     (default 600 s)
     * @param maxRstStreamsPerSecond stream resets a client may send per second before its
     *     connection is closed (rapid-reset defence; default 200)
     * @param rpcThreads threads that run calls (default 8): a fixed pool, so a flood of calls
     *     queues (at most connections x streams) instead of starting threads
     * @param controlThreads threads that run the calls that may block for seconds (CreateSession,
     *     StopSession), apart from the others so ingest keeps flowing meanwhile (default 2)
     * @param maxCredentialFailuresPerConnection calls refused for their credentials (no or an
     *     unknown token) after which a connection is closed (default 16)
     * @param threadNice niceness of the transport's threads (event loops, call handlers; 0-19,
     *     default 10, 0 = the default priority): below the engine threads, so that a flood of calls
     *     cannot take the cores they step on
     */
    public record TransportConfig(
            int maxConnections,
            int maxConnectionsPerPeer,
            int maxConcurrentStreamsPerConnection,
            double handshakeTimeoutS,
            double keepAliveTimeS,
            double keepAliveTimeoutS,
            double permitKeepAliveTimeS,
            double maxConnectionIdleS,
            int maxRstStreamsPerSecond,
            int rpcThreads,
            int controlThreads,
            int maxCredentialFailuresPerConnection,
            int threadNice) {
        static final Set<String> KEYS =
                Set.of(
                        "transport.maxConnections",
                        "transport.maxConnectionsPerPeer",
                        "transport.maxConcurrentStreamsPerConnection",
                        "transport.handshakeTimeoutS",
                        "transport.keepAliveTimeS",
                        "transport.keepAliveTimeoutS",
                        "transport.permitKeepAliveTimeS",
                        "transport.maxConnectionIdleS",
                        "transport.maxRstStreamsPerSecond",
                        "transport.rpcThreads",
                        "transport.controlThreads",
                        "transport.maxCredentialFailuresPerConnection",
                        "transport.threadNice");

        public TransportConfig {
            requireAtLeast("transport.maxConnections", maxConnections, 1);
            requireAtLeast("transport.maxConnectionsPerPeer", maxConnectionsPerPeer, 1);
            if (maxConnectionsPerPeer > maxConnections) {
                throw new ConfigException(
                        "transport.maxConnectionsPerPeer: must be <= transport.maxConnections ("
                                + maxConnections
                                + "), got "
                                + maxConnectionsPerPeer);
            }
            requireAtLeast(
                    "transport.maxConcurrentStreamsPerConnection",
                    maxConcurrentStreamsPerConnection,
                    1);
            requireSeconds("transport.handshakeTimeoutS", handshakeTimeoutS, 0.1, 300);
            requireSeconds("transport.keepAliveTimeS", keepAliveTimeS, 1, 86_400);
            requireSeconds("transport.keepAliveTimeoutS", keepAliveTimeoutS, 1, 3600);
            requireSeconds("transport.permitKeepAliveTimeS", permitKeepAliveTimeS, 0, 86_400);
            requireSeconds("transport.maxConnectionIdleS", maxConnectionIdleS, 1, 86_400 * 7);
            requireAtLeast("transport.maxRstStreamsPerSecond", maxRstStreamsPerSecond, 1);
            requireAtLeast("transport.rpcThreads", rpcThreads, 1);
            requireAtLeast("transport.controlThreads", controlThreads, 1);
            requireAtLeast(
                    "transport.maxCredentialFailuresPerConnection",
                    maxCredentialFailuresPerConnection,
                    1);
            if (threadNice < 0 || threadNice > 19) {
                throw new ConfigException(
                        "transport.threadNice: must be in [0, 19], got " + threadNice);
            }
        }

        static TransportConfig defaults() {
            return new TransportConfig(256, 32, 100, 10, 60, 20, 10, 600, 200, 8, 2, 16, 10);
        }

        static TransportConfig apply(Values v, TransportConfig base) {
            return new TransportConfig(
                    v.integer("transport.maxConnections", base.maxConnections),
                    v.integer("transport.maxConnectionsPerPeer", base.maxConnectionsPerPeer),
                    v.integer(
                            "transport.maxConcurrentStreamsPerConnection",
                            base.maxConcurrentStreamsPerConnection),
                    v.dbl("transport.handshakeTimeoutS", base.handshakeTimeoutS),
                    v.dbl("transport.keepAliveTimeS", base.keepAliveTimeS),
                    v.dbl("transport.keepAliveTimeoutS", base.keepAliveTimeoutS),
                    v.dbl("transport.permitKeepAliveTimeS", base.permitKeepAliveTimeS),
                    v.dbl("transport.maxConnectionIdleS", base.maxConnectionIdleS),
                    v.integer("transport.maxRstStreamsPerSecond", base.maxRstStreamsPerSecond),
                    v.integer("transport.rpcThreads", base.rpcThreads),
                    v.integer("transport.controlThreads", base.controlThreads),
                    v.integer(
                            "transport.maxCredentialFailuresPerConnection",
                            base.maxCredentialFailuresPerConnection),
                    v.integer("transport.threadNice", base.threadNice));
        }
    }

    private static void requireSeconds(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException(
                    key + ": must be in [" + min + ", " + max + "] s, got " + value);
        }
    }

    /**
     * The HTTP listener's limits (metrics, and the status page that shares it).
     *
     * @param maxConnections connections open at once (default 64)
     * @param maxConnectionsPerPeer connections open at once from one IP address (default 8)
     * @param requestTimeoutS time a connection has to send a whole request, from its opening or
     *     from the previous answer, before it is closed (default 10 s): half-open, idle and
     *     slowly-trickling connections give their slot back
     * @param maxHeaderBytes the request line and headers (default 8192); more is 431
     * @param maxEventStreams the status page's live feeds (Server-Sent Events) open at once, all
     *     sessions and browsers together (default 16); more is 503. Each is also one of {@code
     *     maxConnections}, so it must not exceed it
     * @param pageEnabled whether the listener serves the status page ({@code http.page}, default
     *     true)
     */
    public record HttpConfig(
            int maxConnections,
            int maxConnectionsPerPeer,
            double requestTimeoutS,
            int maxHeaderBytes,
            int maxEventStreams,
            boolean pageEnabled) {
        static final Set<String> KEYS =
                Set.of(
                        "http.maxConnections",
                        "http.maxConnectionsPerPeer",
                        "http.requestTimeoutS",
                        "http.maxHeaderBytes",
                        "http.maxEventStreams",
                        "http.page");

        /** The connection and request limits, with the event-stream defaults. */
        public HttpConfig(
                int maxConnections,
                int maxConnectionsPerPeer,
                double requestTimeoutS,
                int maxHeaderBytes) {
            this(
                    maxConnections,
                    maxConnectionsPerPeer,
                    requestTimeoutS,
                    maxHeaderBytes,
                    Math.min(16, maxConnections),
                    true);
        }

        public HttpConfig {
            requireAtLeast("http.maxConnections", maxConnections, 1);
            requireAtLeast("http.maxConnectionsPerPeer", maxConnectionsPerPeer, 1);
            if (maxConnectionsPerPeer > maxConnections) {
                throw new ConfigException(
                        "http.maxConnectionsPerPeer: must be <= http.maxConnections ("
                                + maxConnections
                                + "), got "
                                + maxConnectionsPerPeer);
            }
            requireSeconds("http.requestTimeoutS", requestTimeoutS, 0.1, 300);
            requireAtLeast("http.maxHeaderBytes", maxHeaderBytes, 1024);
            requireAtLeast("http.maxEventStreams", maxEventStreams, 1);
            if (maxEventStreams > maxConnections) {
                throw new ConfigException(
                        "http.maxEventStreams: must be <= http.maxConnections ("
                                + maxConnections
                                + "), got "
                                + maxEventStreams);
            }
        }

        static HttpConfig defaults() {
            return new HttpConfig(64, 8, 10, 8192, 16, true);
        }

        static HttpConfig apply(Values v, HttpConfig base) {
            return new HttpConfig(
                    v.integer("http.maxConnections", base.maxConnections),
                    v.integer("http.maxConnectionsPerPeer", base.maxConnectionsPerPeer),
                    v.dbl("http.requestTimeoutS", base.requestTimeoutS),
                    v.integer("http.maxHeaderBytes", base.maxHeaderBytes),
                    v.integer("http.maxEventStreams", base.maxEventStreams),
                    v.bool("http.page", base.pageEnabled));
        }
    }

    private record Values(Properties p) {
        String str(String k, String d) {
            String v = p.getProperty(k);
            return v == null ? d : v.trim();
        }

        /** A blank value clears the setting (null), like {@link #path}. */
        String optionalStr(String k, String d) {
            String v = p.getProperty(k);
            return v == null ? d : (v.isBlank() ? null : v.trim());
        }

        Path path(String k, Path d) {
            String v = p.getProperty(k);
            return v == null ? d : (v.isBlank() ? null : Path.of(v.trim()));
        }

        int integer(String k, int d) {
            String v = p.getProperty(k);
            try {
                return v == null ? d : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(k + ": not an integer: '" + v + "'");
            }
        }

        /** {@code auto} ({@link #REALTIME_AUTO}) or an integer. */
        int realtimePriority(String k, int d) {
            String v = p.getProperty(k);
            if (v != null && v.trim().equals("auto")) {
                return REALTIME_AUTO;
            }
            int priority = integer(k, d);
            if (v != null && priority < 0) { // -1 is how auto is held, not a value to type
                throw new ConfigException(
                        k + ": auto, 0 (off) or a SCHED_FIFO priority 1-99, got " + priority);
            }
            return priority;
        }

        double dbl(String k, double d) {
            String v = p.getProperty(k);
            try {
                return v == null ? d : Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(k + ": not a number: '" + v + "'");
            }
        }

        boolean bool(String k, boolean d) {
            String v = p.getProperty(k);
            if (v == null) {
                return d;
            }
            return switch (v.trim()) {
                case "true" -> true;
                case "false" -> false;
                default ->
                        throw new ConfigException(k + ": must be true or false, got '" + v + "'");
            };
        }
    }
}
