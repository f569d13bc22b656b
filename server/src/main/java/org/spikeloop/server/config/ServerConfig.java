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
 * @param maxIngestSamplesPerSecond per ingest stream (token bucket, one second of burst)
 * @param inputRingSamples samples the input ring holds per session
 * @param outputRingFrames frames the output ring holds per session
 * @param commandQueueCapacity control commands queued per session
 * @param idleStrategy engine idle strategy: backoff, yield, busy or sleep
 * @param engineThreads threads that step the sessions' decoders; each session is owned by exactly
 *     one, sessions go to the thread with the fewest (default {@link #defaultEngineThreads()})
 * @param engineColocate whether each engine thread also runs its sessions' LSL sources, frame
 *     publishers and recorders (default true: a sample is pulled, stepped and published in one
 *     cycle, with no hand-off between threads); false = one shared thread for all publishers and
 *     one for all LSL sources
 * @param engineRealtimePriority 0 (default): engine threads are ordinary threads; 1–99: each engine
 *     thread asks Linux for SCHED_FIFO at this priority when it starts, so ordinary threads never
 *     preempt it (needs CAP_SYS_NICE; refused with a warning otherwise); requires the parking idle
 *     strategies ({@code sleep} or {@code backoff})
 * @param stallAfterS default seconds without input before a session is STALLED
 * @param liveEdgeMaxLagMs how far (ms of samples waiting in its input ring) a session's engine may
 *     fall behind before it skips to the live edge, for sessions that do not set their own bound
 *     (default 50; 0 = sessions decode everything unless they ask for a bound)
 * @param learningRateMin lowest learning rate an operator may set
 * @param learningRateMax highest learning rate an operator may set
 * @param learningRateDefault learning rate of a new session
 * @param updateIntervalMin smallest update interval (steps)
 * @param updateIntervalMax largest update interval (steps)
 * @param updateIntervalDefault update interval of a new session
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
        String idleStrategy,
        int engineThreads,
        boolean engineColocate,
        int engineRealtimePriority,
        double stallAfterS,
        double liveEdgeMaxLagMs,
        double learningRateMin,
        double learningRateMax,
        double learningRateDefault,
        int updateIntervalMin,
        int updateIntervalMax,
        int updateIntervalDefault) {

    private static final Set<String> IDLE = Set.of("backoff", "yield", "busy", "sleep");

    /**
     * Idle strategies a real-time engine thread may use: only {@code sleep} parks at once;
     * backoff's spinning phase, never preempted under SCHED_FIFO, kept liblsl's and Netty's threads
     * off the core (9 052 misses against 126 with sleep, 8 sessions, docs/benchmarks.md).
     */
    private static final Set<String> PARKING_IDLE = Set.of("sleep");

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
        if (!(maxIngestSamplesPerSecond > 0)) {
            throw new ConfigException(
                    "limits.maxIngestSamplesPerSecond: must be > 0, got "
                            + maxIngestSamplesPerSecond);
        }
        requireAtLeast("engine.inputRingSamples", inputRingSamples, 2);
        requireAtLeast("engine.outputRingFrames", outputRingFrames, 2);
        requireAtLeast("engine.commandQueueCapacity", commandQueueCapacity, 2);
        if (!IDLE.contains(idleStrategy)) {
            throw new ConfigException(
                    "engine.idleStrategy: one of "
                            + new TreeSet<>(IDLE)
                            + ", got '"
                            + idleStrategy
                            + "'");
        }
        requireAtLeast("engine.threads", engineThreads, 1);
        if (engineRealtimePriority < 0 || engineRealtimePriority > 99) {
            throw new ConfigException(
                    "engine.realtimePriority: 0 (off) or a SCHED_FIFO priority 1-99, got "
                            + engineRealtimePriority);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (engineRealtimePriority > 0 && engineThreads >= cores) {
            throw new ConfigException(
                    "engine.realtimePriority: needs engine.threads below the "
                            + cores
                            + " cores here (got engine.threads="
                            + engineThreads
                            + "), so that liblsl's, Netty's, the JIT's and the GC's ordinary threads"
                            + " keep a core: with every core held by a real-time engine they starve"
                            + " and the server collapses (docs/benchmarks.md)");
        }
        if (engineRealtimePriority > 0 && !PARKING_IDLE.contains(idleStrategy)) {
            throw new ConfigException(
                    "engine.realtimePriority: a real-time engine thread must park as soon as it"
                            + " is idle (engine.idleStrategy=sleep), got engine.idleStrategy="
                            + idleStrategy
                            + ", which would keep a core from every other thread");
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
                "backoff",
                defaultEngineThreads(),
                true,
                0,
                2.0,
                DEFAULT_LIVE_EDGE_MS,
                1e-6,
                0.1,
                1e-3,
                1,
                10_000,
                100);
    }

    /** Properties keys this class reads (anything else in a file is an error). */
    public static final Set<String> KEYS =
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
                    "engine.idleStrategy",
                    "engine.threads",
                    "engine.colocate",
                    "engine.realtimePriority",
                    "session.stallAfterS",
                    "session.liveEdgeMaxLagMs",
                    "learning.rate.min",
                    "learning.rate.max",
                    "learning.rate.default",
                    "learning.interval.min",
                    "learning.interval.max",
                    "learning.interval.default");

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
                v.str("engine.idleStrategy", base.idleStrategy),
                v.integer("engine.threads", base.engineThreads),
                v.bool("engine.colocate", base.engineColocate),
                v.integer("engine.realtimePriority", base.engineRealtimePriority),
                v.dbl("session.stallAfterS", base.stallAfterS),
                v.dbl("session.liveEdgeMaxLagMs", base.liveEdgeMaxLagMs),
                v.dbl("learning.rate.min", base.learningRateMin),
                v.dbl("learning.rate.max", base.learningRateMax),
                v.dbl("learning.rate.default", base.learningRateDefault),
                v.integer("learning.interval.min", base.updateIntervalMin),
                v.integer("learning.interval.max", base.updateIntervalMax),
                v.integer("learning.interval.default", base.updateIntervalDefault));
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
