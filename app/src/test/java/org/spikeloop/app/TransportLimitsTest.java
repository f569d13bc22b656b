package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.ListSessionsResponse;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.WatchRequest;
import org.spikeloop.server.net.ConnectionLimiter;

/** The gRPC listener's transport limits, over Netty on loopback with small limits. */
class TransportLimitsTest {
    @TempDir Path dir;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Whether the server closed {@code socket} within {@code ms}. */
    private static boolean closedWithin(Socket socket, int ms) throws Exception {
        socket.setSoTimeout(ms);
        try (InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // the server's SETTINGS frame, if it sent one
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Test
    void shouldRunAtMostTheConfiguredStreamsOfOneConnectionAtOnce() throws Exception {
        Properties p =
                props(
                        "transport.maxConcurrentStreamsPerConnection", "2",
                        "limits.maxWatchersPerSession", "8");
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, p)) {
            String id =
                    SessionServiceGrpc.newBlockingStub(f.channel)
                            .createSession(InProcessFixture.session(4, 8, 2))
                            .getId();
            WatchRequest watch = WatchRequest.newBuilder().setSessionId(id).build();
            List<ClientCallStreamObserver<WatchRequest>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                DecodeServiceGrpc.newStub(f.channel)
                        .watch(
                                watch,
                                new ClientResponseObserver<WatchRequest, DecodedFrame>() {
                                    @Override
                                    public void beforeStart(
                                            ClientCallStreamObserver<WatchRequest> call) {
                                        calls.add(call);
                                    }

                                    @Override
                                    public void onNext(DecodedFrame value) {}

                                    @Override
                                    public void onError(Throwable t) {}

                                    @Override
                                    public void onCompleted() {}
                                });
            }
            await(() -> f.app.sessions().get(id).watchers() == 2, "two watchers");
            Thread.sleep(300);
            // The other three wait in the client for the server's stream limit (HTTP/2 SETTINGS).
            assertThat(f.app.sessions().get(id).watchers()).isEqualTo(2);
            for (var c : calls) {
                c.cancel("done", null);
            }
        }
    }

    @Test
    void shouldCloseAConnectionThatNeverSendsTheHttp2Preface() throws Exception {
        try (InProcessFixture f =
                InProcessFixture.overLoopback(dir, props("transport.handshakeTimeoutS", "0.5"))) {
            long start = System.nanoTime();
            try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), f.app.grpcPort())) {
                assertThat(closedWithin(silent, 5000)).isTrue();
            }
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(4.0);
        }
    }

    @Test
    void shouldCapConnectionsPerPeerAndInTotalAndStillServeOthers() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        Properties p =
                props("transport.maxConnections", "4", "transport.maxConnectionsPerPeer", "2");
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, p)) {
            // The fixture's own channel is one connection from 127.0.0.1.
            SessionServiceGrpc.newBlockingStub(f.channel)
                    .listSessions(ListSessionsRequest.getDefaultInstance());
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    held.add(
                            new Socket(
                                    InetAddress.getLoopbackAddress(), f.app.grpcPort(), other, 0));
                }
                Socket third =
                        new Socket(InetAddress.getLoopbackAddress(), f.app.grpcPort(), other, 0);
                assertThat(closedWithin(third, 2000)).isTrue();
                assertThat(f.app.grpcConnections().refused(ConnectionLimiter.Refusal.PER_PEER))
                        .isEqualTo(1);
                held.add(new Socket(InetAddress.getLoopbackAddress(), f.app.grpcPort()));
                Socket fifth = new Socket(InetAddress.getLoopbackAddress(), f.app.grpcPort());
                assertThat(closedWithin(fifth, 2000)).isTrue();
                assertThat(f.app.grpcConnections().refused(ConnectionLimiter.Refusal.TOTAL))
                        .isEqualTo(1);
                // The established client keeps working.
                assertThat(
                                SessionServiceGrpc.newBlockingStub(f.channel)
                                        .listSessions(ListSessionsRequest.getDefaultInstance())
                                        .getSessionsList())
                        .isEmpty();
            } finally {
                for (Socket k : held) {
                    k.close();
                }
            }
        }
    }

    @Test
    void shouldRunAFloodOfCallsOnTheBoundedPoolWithoutStartingThreads() throws Exception {
        Properties p =
                props(
                        "transport.rpcThreads", "3",
                        "audit.refusalSummaryS", "3600",
                        "transport.maxCredentialFailuresPerConnection", "1000000");
        try (InProcessFixture f = InProcessFixture.overLoopbackWithTokens(dir, p)) {
            int calls = 2000;
            CountDownLatch done = new CountDownLatch(calls);
            AtomicInteger unauthenticated = new AtomicInteger();
            var stub = SessionServiceGrpc.newStub(f.channel);
            for (int i = 0; i < calls; i++) {
                stub.listSessions(
                        ListSessionsRequest.getDefaultInstance(),
                        new io.grpc.stub.StreamObserver<ListSessionsResponse>() {
                            @Override
                            public void onNext(ListSessionsResponse value) {}

                            @Override
                            public void onError(Throwable t) {
                                if (Status.fromThrowable(t).getCode()
                                        == Status.Code.UNAUTHENTICATED) {
                                    unauthenticated.incrementAndGet();
                                }
                                done.countDown();
                            }

                            @Override
                            public void onCompleted() {
                                done.countDown();
                            }
                        });
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(unauthenticated.get()).isEqualTo(calls);
            long rpcThreads =
                    Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.getName().startsWith("spikeloop-rpc-"))
                            .filter(t -> !t.getName().startsWith("spikeloop-rpc-control-"))
                            .count();
            // The server's calls ran on its fixed pool (the client in this JVM has its own).
            assertThat(rpcThreads).isBetween(1L, 3L);
        }
    }

    @Test
    void shouldCloseAConnectionAfterItsConfiguredCredentialFailuresAndServeOthers()
            throws Exception {
        Properties p = props("transport.maxCredentialFailuresPerConnection", "5");
        try (InProcessFixture f = InProcessFixture.overLoopbackWithTokens(dir, p)) {
            ConnectionLimiter limiter = f.app.grpcConnections();
            var withoutToken = SessionServiceGrpc.newBlockingStub(f.channel);
            ManagedChannel operator =
                    NettyChannelBuilder.forAddress("127.0.0.1", f.app.grpcPort())
                            .usePlaintext()
                            .build();
            try {
                var withToken =
                        InProcessFixture.withToken(
                                SessionServiceGrpc.newBlockingStub(operator),
                                InProcessFixture.OPERATOR_TOKEN);
                withToken.listSessions(ListSessionsRequest.getDefaultInstance());
                // Four refusals leave the connection open, each with its clear message.
                for (int i = 0; i < 4; i++) {
                    assertThatThrownBy(
                                    () ->
                                            withoutToken.listSessions(
                                                    ListSessionsRequest.getDefaultInstance()))
                            .isInstanceOfSatisfying(
                                    StatusRuntimeException.class,
                                    e ->
                                            assertThat(e.getStatus().getCode())
                                                    .isEqualTo(Status.Code.UNAUTHENTICATED));
                }
                assertThat(limiter.refused(ConnectionLimiter.Refusal.CREDENTIALS)).isZero();
                assertThat(limiter.open()).isEqualTo(2);
                // The fifth is refused and ends the connection.
                assertThatThrownBy(
                                () ->
                                        withoutToken.listSessions(
                                                ListSessionsRequest.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class);
                await(
                        () -> limiter.refused(ConnectionLimiter.Refusal.CREDENTIALS) == 1,
                        "the connection closed for its credentials");
                await(() -> limiter.open() == 1, "one connection left open");
                // The operator's connection was not touched.
                withToken.listSessions(ListSessionsRequest.getDefaultInstance());
                assertThat(limiter.open()).isEqualTo(1);
            } finally {
                operator.shutdownNow();
            }
        }
    }
}
