package org.spikeloop.app;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.governance.GovernanceModule;
import org.spikeloop.server.governance.LiveCheckpoints;
import org.spikeloop.server.grpc.DecodeGrpcService;
import org.spikeloop.server.grpc.GovernanceGrpcService;
import org.spikeloop.server.grpc.IngestGrpcService;
import org.spikeloop.server.grpc.JobGrpcService;
import org.spikeloop.server.grpc.LearningGrpcService;
import org.spikeloop.server.grpc.SessionGrpcService;
import org.spikeloop.server.grpc.SpikeloopServer;
import org.spikeloop.server.metrics.DiskMetrics;
import org.spikeloop.server.metrics.JobMetrics;
import org.spikeloop.server.metrics.MetricsHttpServer;
import org.spikeloop.server.metrics.RegistryMetrics;
import org.spikeloop.server.metrics.ServerMetrics;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.security.BindPolicy;
import org.spikeloop.server.security.TlsCredentials;
import org.spikeloop.server.security.TokenStore;
import org.spikeloop.server.session.CheckpointStore;
import org.spikeloop.server.session.LearningControl;
import org.spikeloop.server.session.SessionFactory;
import org.spikeloop.server.session.SessionManager;

/**
 * The assembled server: config checked (bind policy, TLS, tokens), metrics registry and endpoint
 * (each subsystem's meter binder bound once, here), audit log, sessions, learning control and the
 * gRPC server. {@link #start} with a null builder listens with Netty as configured; tests pass an
 * {@code InProcessServerBuilder}.
 */
public final class SpikeloopApplication implements AutoCloseable {
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final MetricsHttpServer metricsHttp;
    private final AuditLog audit;
    private final SessionManager sessions;
    private final ExecutorService control;
    private final GovernanceModule governance;
    private final SpikeloopServer server;

    private SpikeloopApplication(ServerConfig config, ServerBuilder<?> builder) throws IOException {
        this.config = config;
        BindPolicy.check(config);
        ServerCredentials tls = TlsCredentials.from(config);
        TokenStore tokens = config.tokensEnabled() ? TokenStore.load(config.tokensFile()) : null;
        ListenAddresses.requireFree(config, builder == null); // before anything is created
        this.metrics = new ServerMetrics();
        Map<String, Path> volumes = new LinkedHashMap<>();
        if (config.recordingsDir() != null) {
            Files.createDirectories(config.recordingsDir());
            volumes.put("recordings", config.recordingsDir());
        }
        this.audit = new AuditLog(config.auditLog(), Clock.systemUTC());
        CheckpointStore checkpoints = new CheckpointStore(config.checkpointDir());
        // Issue 8: registry, offline jobs and governance (JobService, GovernanceService). The
        // registry is opened first: sessions are created from its ids.
        GovernanceModule.Settings g = GovernanceModule.Settings.defaults(config.checkpointDir());
        CheckpointRegistry registry = CheckpointRegistry.open(g.registryDir());
        volumes.put("checkpoints", config.checkpointDir()); // created by the registry
        metrics.bind(new DiskMetrics(volumes));
        metrics.bind(new RegistryMetrics(registry));
        this.sessions =
                new SessionManager(
                        config,
                        new SessionFactory(
                                config,
                                checkpoints,
                                registry,
                                metrics.sessions(),
                                EngineClock.system()),
                        audit);
        AtomicInteger n = new AtomicInteger();
        this.control =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "spikeloop-control-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        LearningControl learning = new LearningControl(sessions, audit, control);
        ServerBuilder<?> b = builder;
        if (b == null) {
            b =
                    NettyServerBuilder.forAddress(
                            new InetSocketAddress(config.grpcHost(), config.grpcPort()),
                            tls != null ? tls : InsecureServerCredentials.create());
        }
        if (config.recordingsDir() != null) { // the sessions' recordings are the jobs' data
            g =
                    new GovernanceModule.Settings(
                            g.registryDir(),
                            config.recordingsDir().toAbsolutePath().normalize(),
                            g.jobThreads(),
                            g.jobQueue(),
                            g.threadsPerJob(),
                            g.nice(),
                            g.evaluationPeriodMs(),
                            g.triggerPollMs());
        }
        this.governance = new GovernanceModule(g, registry, sessions, audit);
        metrics.bind(new JobMetrics(governance.jobs()));
        List<BindableService> services =
                List.of(
                        new SessionGrpcService(sessions),
                        new IngestGrpcService(sessions),
                        new DecodeGrpcService(sessions, config.maxWatchersPerSession()),
                        new LearningGrpcService(
                                learning,
                                new LiveCheckpoints(
                                        governance.governor().checkpoints(), sessions, control),
                                control),
                        new JobGrpcService(governance.jobs(), governance.recordings()),
                        new GovernanceGrpcService(
                                governance.operations(), governance.workExecutor()));
        // Plaintext by design (probes cannot do TLS or tokens): it serves grpc.health.v1 only.
        ServerBuilder<?> healthBuilder =
                config.healthPort() == 0
                        ? null
                        : NettyServerBuilder.forAddress(
                                new InetSocketAddress(config.grpcHost(), config.healthPort()),
                                InsecureServerCredentials.create());
        this.server =
                new SpikeloopServer(
                        b,
                        config.maxMessageBytes(),
                        new AuthInterceptor(tokens, audit),
                        services,
                        healthBuilder);
        try {
            this.server.start();
            this.metricsHttp =
                    config.metricsPort() >= 0
                            ? new MetricsHttpServer(
                                    metrics.registry(), config.metricsHost(), config.metricsPort())
                            : null;
        } catch (IOException | RuntimeException e) {
            // A port taken since ListenAddresses checked it: stop what already runs.
            closeAfterFailedStart(e);
            throw e;
        }
    }

    /**
     * Checks the config and starts everything. A start that fails (a busy port, an unusable
     * directory or audit log) leaves nothing behind: the config and the listen addresses are
     * checked before anything is created, and what it created by then is deleted again.
     *
     * @throws org.spikeloop.server.config.ConfigException for a busy port (naming the address) or
     *     another unusable setting
     */
    public static SpikeloopApplication start(ServerConfig config, ServerBuilder<?> builder)
            throws IOException {
        CreatedPaths created =
                CreatedPaths.before(
                        config.auditLog(),
                        config.recordingsDir(),
                        config.checkpointDir(),
                        GovernanceModule.Settings.defaults(config.checkpointDir()).registryDir());
        try {
            return new SpikeloopApplication(config, builder);
        } catch (IOException | RuntimeException e) {
            created.removeNew(e);
            throw e;
        }
    }

    private void closeAfterFailedStart(Exception failure) {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
        }
    }

    public ServerConfig config() {
        return config;
    }

    public int grpcPort() {
        return server.port();
    }

    /** The health-only port, or −1 when {@code health.port} is off. */
    public int healthPort() {
        return server.healthPort();
    }

    /** The metrics port, or −1 when the endpoint is off. */
    public int metricsPort() {
        return metricsHttp == null ? -1 : metricsHttp.port();
    }

    public SessionManager sessions() {
        return sessions;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Registry, jobs and governance (issue 8). */
    public GovernanceModule governance() {
        return governance;
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.blockUntilShutdown();
    }

    /** Stops gRPC (health first), then the sessions, the metrics endpoint and the audit log. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            server.stop(5);
        } finally {
            governance.close();
            sessions.close();
            if (metricsHttp != null) {
                metricsHttp.close();
            }
            control.shutdown();
            control.awaitTermination(5, TimeUnit.SECONDS);
            metrics.close();
            audit.close();
        }
    }
}
