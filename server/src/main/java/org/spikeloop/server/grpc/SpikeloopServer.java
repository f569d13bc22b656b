package org.spikeloop.server.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
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
    private final HealthStatusManager health = new HealthStatusManager();

    /**
     * @param builder a transport builder (port, credentials, executor already set)
     * @param maxMessageBytes largest inbound message (larger: RESOURCE_EXHAUSTED)
     */
    @SuppressWarnings("deprecation") // v1alpha reflection for clients that only speak it
    public SpikeloopServer(
            ServerBuilder<?> builder,
            int maxMessageBytes,
            AuthInterceptor auth,
            List<BindableService> services) {
        builder.maxInboundMessageSize(maxMessageBytes)
                .intercept(auth)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance());
        for (BindableService s : services) {
            builder.addService(MalformedRequestGuard.guard(s.bindService()));
        }
        this.server = builder.build();
    }

    public SpikeloopServer start() throws IOException {
        server.start();
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

    /** Marks every service NOT_SERVING, then shuts down, waiting up to {@code graceS} seconds. */
    public void stop(long graceS) throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(graceS, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(graceS, TimeUnit.SECONDS);
        }
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.awaitTermination();
    }

    public boolean isTerminated() {
        return server.isTerminated();
    }
}
