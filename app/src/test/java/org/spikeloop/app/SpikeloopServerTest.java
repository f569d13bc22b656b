package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;

class SpikeloopServerTest {
    @TempDir Path dir;

    @Test
    void shouldAnswerHealthChecksForTheServerAndEachService() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var health = HealthGrpc.newBlockingStub(f.channel);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThat(
                            health.check(
                                            HealthCheckRequest.newBuilder()
                                                    .setService("spikeloop.v1.DecodeService")
                                                    .build())
                                    .getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }

    @Test
    void shouldListTheSpikeloopServicesThroughReflection() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir, true, new Properties())) {
            List<String> names = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<ServerReflectionRequest> req =
                    ServerReflectionGrpc.newStub(f.channel)
                            .serverReflectionInfo(
                                    new StreamObserver<>() {
                                        @Override
                                        public void onNext(ServerReflectionResponse r) {
                                            r.getListServicesResponse()
                                                    .getServiceList()
                                                    .forEach(s -> names.add(s.getName()));
                                        }

                                        @Override
                                        public void onError(Throwable t) {
                                            done.countDown();
                                        }

                                        @Override
                                        public void onCompleted() {
                                            done.countDown();
                                        }
                                    });
            req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            req.onCompleted();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(names)
                    .contains(
                            "spikeloop.v1.SessionService",
                            "spikeloop.v1.IngestService",
                            "spikeloop.v1.DecodeService",
                            "spikeloop.v1.LearningService",
                            "grpc.health.v1.Health");
        }
    }

    @Test
    void shouldRefuseCallsWithoutATokenAsUnauthenticated() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir, true, new Properties())) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            assertThatThrownBy(() -> stub.listSessions(ListSessionsRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.UNAUTHENTICATED))
                    .hasMessageContaining("missing bearer token");
            var wrong = InProcessFixture.withToken(stub, "not-a-known-token-at-all");
            assertThatThrownBy(() -> wrong.listSessions(ListSessionsRequest.getDefaultInstance()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void shouldLetAViewerReadButNotCreateSessions() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir, true, new Properties())) {
            var viewer =
                    InProcessFixture.withToken(
                            SessionServiceGrpc.newBlockingStub(f.channel),
                            InProcessFixture.VIEWER_TOKEN);
            assertThat(
                            viewer.listSessions(ListSessionsRequest.getDefaultInstance())
                                    .getSessionsList())
                    .isEmpty();
            assertThatThrownBy(() -> viewer.createSession(InProcessFixture.session(4, 8, 2)))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.PERMISSION_DENIED))
                    .hasMessageContaining("needs role operator");
            var operator =
                    InProcessFixture.withToken(
                            SessionServiceGrpc.newBlockingStub(f.channel),
                            InProcessFixture.OPERATOR_TOKEN);
            var s = operator.createSession(InProcessFixture.session(4, 8, 2));
            assertThat(
                            viewer.getSession(
                                            SessionId.newBuilder().setSessionId(s.getId()).build())
                                    .getId())
                    .isEqualTo(s.getId());
            String audit = Files.readString(dir.resolve("audit.log"));
            assertThat(audit)
                    .contains("\"who\":\"alice\"")
                    .contains("session.create")
                    .contains(s.getId());
            assertThat(audit).contains("refused spikeloop.v1.SessionService/CreateSession");
            assertThat(audit)
                    .doesNotContain(InProcessFixture.OPERATOR_TOKEN)
                    .doesNotContain(InProcessFixture.VIEWER_TOKEN);
        }
    }

    @Test
    void shouldServeHealthOnlyInPlaintextOnTheHealthPortWhileTokensGuardTheMainServer()
            throws Exception {
        Properties p = new Properties();
        p.setProperty("health.port", Integer.toString(freeLoopbackPort()));
        InProcessFixture f = new InProcessFixture(dir, true, p);
        int port = f.app.healthPort();
        assertThat(port).isEqualTo(Integer.parseInt(p.getProperty("health.port")));
        ManagedChannel plain =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            // The main server has tokens on ...
            assertThatThrownBy(
                            () ->
                                    SessionServiceGrpc.newBlockingStub(f.channel)
                                            .listSessions(ListSessionsRequest.getDefaultInstance()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.UNAUTHENTICATED));
            // ... the health port answers without TLS or a token, for the server and a service ...
            var health = HealthGrpc.newBlockingStub(plain).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThat(
                            health.check(
                                            HealthCheckRequest.newBuilder()
                                                    .setService("spikeloop.v1.SessionService")
                                                    .build())
                                    .getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            // ... and serves nothing else, not even with a valid token.
            var sessions =
                    InProcessFixture.withToken(
                                    SessionServiceGrpc.newBlockingStub(plain),
                                    InProcessFixture.OPERATOR_TOKEN)
                            .withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThatThrownBy(
                            () -> sessions.listSessions(ListSessionsRequest.getDefaultInstance()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.UNIMPLEMENTED));
        } finally {
            f.close();
        }
        // It stops with the server.
        try {
            assertThatThrownBy(
                            () ->
                                    HealthGrpc.newBlockingStub(plain)
                                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                                            .check(HealthCheckRequest.getDefaultInstance()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.UNAVAILABLE));
            try (ServerSocket again =
                    new ServerSocket(port, 0, InetAddress.getByName("127.0.0.1"))) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        } finally {
            plain.shutdownNow();
        }
    }

    @Test
    void shouldHaveNoHealthPortWhenItIsOff() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            assertThat(f.app.healthPort()).isEqualTo(-1);
        }
    }

    private static int freeLoopbackPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
