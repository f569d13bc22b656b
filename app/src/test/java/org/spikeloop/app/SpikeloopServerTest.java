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
            assertThat(audit).contains("\"action\":\"call SessionService/CreateSession\"");
            assertThat(audit)
                    .doesNotContain(InProcessFixture.OPERATOR_TOKEN)
                    .doesNotContain(InProcessFixture.VIEWER_TOKEN);
        }
    }

    @Test
    void shouldRefuseACallWithTwoAuthorizationHeaders() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir, true, new Properties())) {
            io.grpc.Metadata h = new io.grpc.Metadata();
            var key =
                    io.grpc.Metadata.Key.of(
                            "authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
            h.put(key, "Bearer " + InProcessFixture.VIEWER_TOKEN);
            h.put(key, "Bearer " + InProcessFixture.OPERATOR_TOKEN); // "the last one wins" before
            var stub =
                    SessionServiceGrpc.newBlockingStub(f.channel)
                            .withInterceptors(
                                    io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(h));
            assertThatThrownBy(() -> stub.createSession(InProcessFixture.session(4, 8, 2)))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.UNAUTHENTICATED))
                    .hasMessageContaining("more than one authorization header");
            assertThat(f.app.sessions().list()).isEmpty();
        }
    }

    @Test
    void shouldAuditRefusedCallsInAggregateNotOneLinePerCall() throws Exception {
        Properties p = new Properties();
        p.setProperty("audit.refusalSummaryS", "3600"); // only the summary at close
        p.setProperty("audit.refusalSamples", "3");
        InProcessFixture f = new InProcessFixture(dir, true, p);
        try {
            var anonymous = SessionServiceGrpc.newBlockingStub(f.channel);
            var viewer = InProcessFixture.withToken(anonymous, InProcessFixture.VIEWER_TOKEN);
            for (int i = 0; i < 200; i++) {
                assertThatThrownBy(
                        () -> anonymous.listSessions(ListSessionsRequest.getDefaultInstance()));
            }
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> viewer.createSession(InProcessFixture.session(4, 8, 2)));
            }
            assertThat(Files.readString(dir.resolve("audit.log"))).doesNotContain("refused");
        } finally {
            f.close();
        }
        List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
        assertThat(lines).filteredOn(l -> l.contains("refused")).hasSize(1);
        assertThat(lines.get(lines.size() - 1))
                .contains("\"action\":\"refused.summary\"")
                .contains("205 refused (UNAUTHENTICATED 200, PERMISSION_DENIED 5)")
                .contains("UNAUTHENTICATED spikeloop.v1.SessionService/ListSessions who=?")
                .doesNotContain(InProcessFixture.VIEWER_TOKEN);
    }

    @Test
    void shouldAuditEveryMutatingCallWithItsOutcome() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir, true, new Properties())) {
            var jobs =
                    InProcessFixture.withToken(
                            org.spikeloop.proto.v1.JobServiceGrpc.newBlockingStub(f.channel),
                            InProcessFixture.OPERATOR_TOKEN);
            assertThatThrownBy(
                    () ->
                            jobs.cancelJob(
                                    org.spikeloop.proto.v1.JobId.newBuilder()
                                            .setId("job-1-1")
                                            .build()));
            assertThatThrownBy(
                    () ->
                            jobs.submitJob(
                                    org.spikeloop.proto.v1.SubmitJobRequest.newBuilder()
                                            .setSessionId("s-0123456789ab")
                                            .build()));
            // A viewer's read is not a mutation: not audited.
            InProcessFixture.withToken(
                            SessionServiceGrpc.newBlockingStub(f.channel),
                            InProcessFixture.VIEWER_TOKEN)
                    .listSessions(ListSessionsRequest.getDefaultInstance());
            List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
            assertThat(lines)
                    .anySatisfy(
                            l ->
                                    assertThat(l)
                                            .contains("\"who\":\"alice\"")
                                            .contains("\"action\":\"call JobService/CancelJob\"")
                                            .contains("\"previous\":\"job-1-1\"")
                                            .contains("\"next\":\"NOT_FOUND\""))
                    .anySatisfy(
                            l ->
                                    assertThat(l)
                                            .contains("\"action\":\"call JobService/SubmitJob\"")
                                            .contains("\"session\":\"s-0123456789ab\""))
                    .noneSatisfy(l -> assertThat(l).contains("ListSessions"));
        }
    }

    @Test
    void shouldRefuseOversizedNamesAndIdsWithoutEchoingThem() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            String longName = "n".repeat(100_000);
            var request = InProcessFixture.session(4, 8, 2).toBuilder();
            request.getSpecBuilder().setName(longName);
            assertThatThrownBy(() -> sessions.createSession(request.build()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining(
                            "spec.name: 100000 characters, at most 256 (limits.maxNameChars)")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
            String longId = "s-" + "0".repeat(5000);
            assertThatThrownBy(
                            () ->
                                    sessions.getSession(
                                            SessionId.newBuilder().setSessionId(longId).build()))
                    .hasMessageContaining("session_id: 5002 characters, at most 128")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
            assertThat(f.app.sessions().list()).isEmpty();
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
