package org.spikeloop.server.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.server.security.AuthInterceptor;

/**
 * Owns the gRPC {@link Server}: the four spikeloop.v1 services behind the {@link AuthInterceptor},
 * standard health ({@code grpc.health.v1}, per service and overall) and server reflection (v1 and
 * v1alpha, so grpcurl and grpcio-reflection both work). Takes a {@link ServerBuilder} so tests use
 * the in-process transport and {@code serve} uses Netty with TLS.
 *
 * <p>Optionally a second, health-only server shares the same {@link HealthStatusManager}: it
 * carries no interceptor and no other service, so probes that cannot do TLS or tokens (Kubernetes'
 * gRPC probes) see exactly the main server's status, and nothing else is reachable through it.
 */
public final class SpikeloopServer {
    private static final List<String> SERVICES =
            List.of(
                    SessionServiceGrpc.SERVICE_NAME,
                    IngestServiceGrpc.SERVICE_NAME,
                    DecodeServiceGrpc.SERVICE_NAME,
                    LearningServiceGrpc.SERVICE_NAME,
                    org.spikeloop.proto.v1.JobServiceGrpc.SERVICE_NAME,
                    org.spikeloop.proto.v1.GovernanceServiceGrpc.SERVICE_NAME);

    private final Server server;
    private final Server healthServer;
    private final HealthStatusManager health = new HealthStatusManager();

    /**
     * @param builder a transport builder (port, credentials, executor already set)
     * @param maxMessageBytes largest inbound message (larger: RESOURCE_EXHAUSTED)
     * @param interceptors every call passes these in this order (the first sees the call first):
     *     the {@link AuthInterceptor}, then the audit and request checks that need its caller
     * @param healthBuilder a transport builder for the health-only server, or null for none
     */
    @SuppressWarnings("deprecation") // v1alpha reflection for clients that only speak it
    public SpikeloopServer(
            ServerBuilder<?> builder,
            int maxMessageBytes,
            List<ServerInterceptor> interceptors,
            List<BindableService> services,
            ServerBuilder<?> healthBuilder) {
        builder.maxInboundMessageSize(maxMessageBytes);
        // ServerBuilder runs interceptors in the reverse order of registration.
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            builder.intercept(interceptors.get(i));
        }
        builder.addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance());
        for (BindableService s : services) {
            builder.addService(MalformedRequestGuard.guard(s.bindService()));
        }
        this.server = builder.build();
        this.healthServer =
                healthBuilder == null
                        ? null
                        : healthBuilder.addService(health.getHealthService()).build();
    }

    public SpikeloopServer start() throws IOException {
        server.start();
        if (healthServer != null) {
            try {
                healthServer.start();
            } catch (IOException | RuntimeException e) {
                server.shutdownNow();
                throw e;
            }
        }
        for (String s : SERVICES) {
            health.setStatus(s, ServingStatus.SERVING);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        return this;
    }

    /** The bound port (−1 for in-process). */
    public int port() {
        return server.getPort();
    }

    /** The health-only server's bound port, or −1 when there is none. */
    public int healthPort() {
        return healthServer == null ? -1 : healthServer.getPort();
    }

    /**
     * Marks every service NOT_SERVING, then shuts down both servers, waiting up to {@code graceS}
     * seconds for each.
     */
    public void stop(long graceS) throws InterruptedException {
        health.enterTerminalState();
        try {
            shutDown(server, graceS);
        } finally {
            if (healthServer != null) {
                shutDown(healthServer, graceS);
            }
        }
    }

    private static void shutDown(Server s, long graceS) throws InterruptedException {
        s.shutdown();
        if (!s.awaitTermination(graceS, TimeUnit.SECONDS)) {
            s.shutdownNow();
            s.awaitTermination(graceS, TimeUnit.SECONDS);
        }
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.awaitTermination();
    }

    public boolean isTerminated() {
        return server.isTerminated() && (healthServer == null || healthServer.isTerminated());
    }
}
