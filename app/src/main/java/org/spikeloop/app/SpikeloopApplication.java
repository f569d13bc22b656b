package org.spikeloop.app;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.LslApiConfig;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.governance.GovernanceModule;
import org.spikeloop.server.governance.LiveCheckpoints;
import org.spikeloop.server.grpc.DecodeGrpcService;
import org.spikeloop.server.grpc.GovernanceGrpcService;
import org.spikeloop.server.grpc.GrpcTransport;
import org.spikeloop.server.grpc.IngestGrpcService;
import org.spikeloop.server.grpc.JobGrpcService;
import org.spikeloop.server.grpc.LearningGrpcService;
import org.spikeloop.server.grpc.RequestFieldLimits;
import org.spikeloop.server.grpc.SessionGrpcService;
import org.spikeloop.server.grpc.SpikeloopServer;
import org.spikeloop.server.http.HttpRoute;
import org.spikeloop.server.http.HttpServer;
import org.spikeloop.server.metrics.CapacityMeters;
import org.spikeloop.server.metrics.DiskMetrics;
import org.spikeloop.server.metrics.JobMetrics;
import org.spikeloop.server.metrics.MetricsRoute;
import org.spikeloop.server.metrics.RegistryMetrics;
import org.spikeloop.server.metrics.ServerMetrics;
import org.spikeloop.server.metrics.TransportMeters;
import org.spikeloop.server.net.ConnectionLimiter;
import org.spikeloop.server.net.FileDescriptorBudget;
import org.spikeloop.server.page.StatusPage;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.security.BindPolicy;
import org.spikeloop.server.security.CallAudit;
import org.spikeloop.server.security.RefusalLog;
import org.spikeloop.server.security.TlsCredentials;
import org.spikeloop.server.security.TokenStore;
import org.spikeloop.server.session.CheckpointStore;
import org.spikeloop.server.session.LearningControl;
import org.spikeloop.server.session.SessionFactory;
import org.spikeloop.server.session.SessionManager;

/**
 * The assembled server: config checked (bind policy, TLS, tokens, file descriptors), metrics
 * registry (each subsystem's meter binder bound once, here) and the HTTP listener serving it, audit
 * log, sessions, learning control and the gRPC server with its transport limits. {@link #start}
 * with a null builder listens with Netty as configured; tests pass an {@code
 * InProcessServerBuilder}.
 */
public final class SpikeloopApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpikeloopApplication.class);

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final HttpServer http;
    private final ConnectionLimiter grpcConnections;
    private final GrpcTransport.CallExecutors callExecutors;
    private final GrpcTransport.EventLoops grpcLoops;
    private final AuditLog audit;
    private final RefusalLog refusals;
    private final SessionManager sessions;
    private final ExecutorService control;
    private final GovernanceModule governance;
    private final SpikeloopServer server;
    private final SpikeloopServer pageServer;
    private final ManagedChannel pageChannel;
    private final StatusPage page;

    private SpikeloopApplication(ServerConfig config, ServerBuilder<?> builder) throws IOException {
        this.config = config;
        BindPolicy.check(config);
        checkFileDescriptors(config);
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
        metrics.bind(new CapacityMeters(sessions));
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
        this.grpcLoops = new GrpcTransport.EventLoops(config.transport().threadNice());
        this.grpcConnections =
                new ConnectionLimiter(
                        "grpc",
                        config.transport().maxConnections(),
                        config.transport().maxConnectionsPerPeer());
        ServerBuilder<?> b = builder;
        if (b == null) {
            b =
                    GrpcTransport.builder(
                            new InetSocketAddress(config.grpcHost(), config.grpcPort()),
                            tls != null ? tls : InsecureServerCredentials.create(),
                            config.transport(),
                            grpcConnections,
                            grpcLoops);
        }
        this.callExecutors = new GrpcTransport.CallExecutors(config.transport());
        callExecutors.applyTo(b);
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
        // Its own connection caps (the same limits): probes keep a way in under a flood.
        ServerBuilder<?> healthBuilder =
                config.healthPort() == 0
                        ? null
                        : GrpcTransport.builder(
                                new InetSocketAddress(config.grpcHost(), config.healthPort()),
                                InsecureServerCredentials.create(),
                                config.transport(),
                                new ConnectionLimiter(
                                        "grpc-health",
                                        config.transport().maxConnections(),
                                        config.transport().maxConnectionsPerPeer()),
                                grpcLoops);
        if (healthBuilder != null) {
            callExecutors.applyTo(healthBuilder);
        }
        this.refusals =
                new RefusalLog(
                        audit,
                        (long) (config.audit().refusalSummaryS() * 1000),
                        config.audit().refusalSamples());
        List<ServerInterceptor> interceptors =
                List.of(
                        // the page's in-process calls have no connection to strike: refused only
                        new AuthInterceptor(
                                tokens,
                                refusals,
                                remote ->
                                        grpcConnections.strike(
                                                remote,
                                                config.transport()
                                                        .maxCredentialFailuresPerConnection())),
                        new CallAudit(audit),
                        new RequestFieldLimits(
                                config.requests().maxIdChars(), config.requests().maxNameChars()));
        this.server =
                new SpikeloopServer(
                        b, config.maxMessageBytes(), interceptors, services, healthBuilder);
        // The status page reads and acts through the same services, in-process, with the
        // browser's token: the same figures, role checks and call audit as any gRPC client.
        boolean withPage = config.metricsPort() >= 0 && config.http().pageEnabled();
        String pageName = "spikeloop-page-" + java.util.UUID.randomUUID();
        InProcessServerBuilder pageBuilder = InProcessServerBuilder.forName(pageName);
        if (withPage) {
            callExecutors.applyTo(pageBuilder);
        }
        this.pageServer =
                withPage
                        ? new SpikeloopServer(
                                pageBuilder, config.maxMessageBytes(), interceptors, services, null)
                        : null;
        this.pageChannel = withPage ? InProcessChannelBuilder.forName(pageName).build() : null;
        this.page =
                withPage
                        ? new StatusPage(
                                pageChannel, sessions, audit, config.maxWatchersPerSession())
                        : null;
        // Last before listening: a start refused by a check above (a port, a file) neither
        // configures liblsl nor warns that it could not.
        configureLsl(config.lsl());
        try {
            this.server.start();
            Map<String, HttpRoute> routes = new LinkedHashMap<>();
            routes.put(MetricsRoute.PATH, new MetricsRoute(metrics));
            if (page != null) {
                pageServer.start();
                routes.putAll(page.routes());
            }
            this.http =
                    config.metricsPort() >= 0
                            ? new HttpServer(
                                    config.metricsHost(),
                                    config.metricsPort(),
                                    config.http(),
                                    httpTls(config),
                                    tokens,
                                    refusals,
                                    routes,
                                    page == null ? Map.of() : page.streams())
                            : null;
        } catch (IOException | RuntimeException e) {
            // A port taken since ListenAddresses checked it: stop what already runs.
            closeAfterFailedStart(e);
            throw e;
        }
        List<ConnectionLimiter> listeners = new ArrayList<>(List.of(grpcConnections));
        if (http != null) {
            listeners.add(http.connections());
        }
        metrics.bind(
                new TransportMeters(
                        listeners, reason -> refusals.total(RefusalLog.Reason.valueOf(reason))));
    }

    /**
     * Refuses a configuration whose connection caps could take the file descriptors the sessions
     * need ({@link FileDescriptorBudget}).
     */
    private static void checkFileDescriptors(ServerConfig config) {
        int connections =
                config.transport().maxConnections() * (config.healthPort() == 0 ? 1 : 2)
                        + (config.metricsPort() >= 0 ? config.http().maxConnections() : 0);
        String refusal =
                FileDescriptorBudget.check(
                        connections, config.maxSessions(), FileDescriptorBudget.processLimit());
        if (refusal != null) {
            throw new ConfigException(refusal);
        }
    }

    /** The HTTP listener's TLS: the gRPC certificate and key, when TLS is on. */
    private static SslContext httpTls(ServerConfig config) {
        if (!config.tlsEnabled()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(
                            config.tlsCertChain().toFile(), config.tlsPrivateKey().toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(
                    "tls.cert/tls.key: cannot serve HTTPS with "
                            + config.tlsCertChain()
                            + " and "
                            + config.tlsPrivateKey()
                            + ": "
                            + e.getMessage());
        }
    }

    /**
     * Pins liblsl's discovery scope and responder address to {@code lsl.resolveScope} and {@code
     * lsl.listenAddress} (empty: liblsl's own file decides) before this process first uses liblsl,
     * keeping every other setting of the file {@code LSLAPICFG} (or {@code -Dspikeloop.lslapicfg})
     * names.
     */
    private static void configureLsl(ServerConfig.LslConfig lsl) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        if (!lsl.resolveScope().isEmpty()) {
            keys.put("ResolveScope", lsl.resolveScope());
        }
        if (!lsl.listenAddress().isEmpty()) {
            keys.put("ListenAddress", lsl.listenAddress());
        }
        if (keys.isEmpty()) {
            return;
        }
        String file = System.getenv("LSLAPICFG");
        if (file == null) {
            file = System.getProperty(Lsl.PROP_CONFIG);
        }
        String base = "";
        if (file != null && Files.isReadable(Path.of(file))) {
            base = Files.readString(Path.of(file));
        }
        if (!Lsl.configure(LslApiConfig.withSection(base, "multicast", keys))) {
            LOG.warn(
                    "liblsl was already in use in this process: lsl.resolveScope={} and"
                            + " lsl.listenAddress={} are not applied",
                    lsl.resolveScope(),
                    lsl.listenAddress());
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

    /**
     * The status page's address ({@code http://host:port/}, https with TLS), or null when the page
     * is off ({@code http.page=false} or no HTTP listener).
     */
    public String statusPageUrl() {
        if (page == null || http == null) {
            return null;
        }
        String host = config.metricsHost();
        if (host.contains(":")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        return (config.tlsEnabled() ? "https" : "http") + "://" + host + ":" + http.port() + "/";
    }

    /** The status page, or null when it is off. */
    public StatusPage statusPage() {
        return page;
    }

    /** The metrics port, or −1 when the endpoint is off. */
    public int metricsPort() {
        return http == null ? -1 : http.port();
    }

    /** The gRPC listener's connection counts. */
    public ConnectionLimiter grpcConnections() {
        return grpcConnections;
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
            if (http != null) {
                http.close();
            }
            if (page != null) {
                page.close();
                pageChannel.shutdownNow();
                pageServer.stop(1);
            }
            callExecutors.close();
            grpcLoops.close();
            control.shutdown();
            control.awaitTermination(5, TimeUnit.SECONDS);
            metrics.close();
            refusals.close(); // its last summary goes to the audit log
            audit.close();
        }
    }
}
