package org.spikeloop.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.net.ConnectionLimiter;
import org.spikeloop.server.security.RefusalLog;
import org.spikeloop.server.security.TokenStore;

/** The HTTP listener against real sockets on loopback (127.0.0.2 plays a second host). */
class HttpServerTest {
    private static final String TOKEN = "viewer-token-0123456789ab";

    @TempDir Path dir;

    private static final HttpRoute HELLO =
            r -> HttpReply.ok("text/plain", "hello\n".getBytes(StandardCharsets.UTF_8));

    private HttpServer server(
            ServerConfig.HttpConfig limits, TokenStore tokens, RefusalLog refusals)
            throws Exception {
        return new HttpServer("127.0.0.1", 0, limits, null, tokens, refusals, Map.of("/x", HELLO));
    }

    private static HttpResponse<String> get(HttpServer s, String path, String... headers)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                        .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ServerConfig.HttpConfig limits(int total, int perPeer, double timeoutS) {
        return new ServerConfig.HttpConfig(total, perPeer, timeoutS, 8192);
    }

    @Test
    void shouldServeItsRoutesAndRefuseOtherPathsAndMethods() throws Exception {
        try (HttpServer s = server(limits(8, 8, 10), null, null)) {
            HttpResponse<String> ok = get(s, "/x");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("hello\n");
            assertThat(get(s, "/y").statusCode()).isEqualTo(404);
            HttpResponse<String> post =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:" + s.port() + "/x"))
                                            .DELETE()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void shouldRequireExactlyOneKnownTokenWhenTokensAreConfigured() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "bob viewer " + TOKEN + "\n");
        try (RefusalLog refusals = new RefusalLog(null, 60_000, 1);
                HttpServer s = server(limits(8, 8, 10), TokenStore.load(file), refusals)) {
            HttpResponse<String> none = get(s, "/x");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(
                            get(s, "/x", "Authorization", "Bearer not-a-known-token-at-all")
                                    .statusCode())
                    .isEqualTo(401);
            assertThat(
                            get(
                                            s,
                                            "/x",
                                            "Authorization",
                                            "Bearer " + TOKEN,
                                            "Authorization",
                                            "Bearer other-token-0123456789")
                                    .body())
                    .contains("more than one Authorization header");
            assertThat(get(s, "/x", "Authorization", "Bearer " + TOKEN).statusCode())
                    .isEqualTo(200);
            assertThat(refusals.total(RefusalLog.Reason.UNAUTHENTICATED)).isEqualTo(3);
        }
    }

    /** Whether the server closed {@code socket} within {@code ms} (a read ends). */
    private static boolean closedWithin(Socket socket, int ms) throws Exception {
        socket.setSoTimeout(ms);
        try (InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // drain whatever an answer brought
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Test
    void shouldCapConnectionsPerPeerAndInTotalAtAccept() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (HttpServer s = server(limits(4, 2, 30), null, null)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    held.add(new Socket(InetAddress.getLoopbackAddress(), s.port(), other, 0));
                }
                Socket third = new Socket(InetAddress.getLoopbackAddress(), s.port(), other, 0);
                assertThat(closedWithin(third, 2000)).isTrue();
                // Another peer still gets in while this one is at its cap.
                assertThat(rawGet(s.port())).startsWith("HTTP/1.1 200");
                waitFor(() -> s.connections().refused(ConnectionLimiter.Refusal.PER_PEER) == 1);
                for (int i = 0; i < 2; i++) {
                    held.add(new Socket(InetAddress.getLoopbackAddress(), s.port()));
                }
                Socket fifth = new Socket(InetAddress.getLoopbackAddress(), s.port());
                assertThat(closedWithin(fifth, 2000)).isTrue();
                waitFor(() -> s.connections().refused(ConnectionLimiter.Refusal.TOTAL) == 1);
            } finally {
                for (Socket k : held) {
                    k.close();
                }
            }
            waitFor(() -> s.connections().open() == 0);
        }
    }

    @Test
    void shouldCloseConnectionsThatDoNotSendAWholeRequestInTime() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (HttpServer s = server(limits(64, 64, 0.5), null, null)) {
            Socket silent = new Socket(InetAddress.getLoopbackAddress(), s.port(), other, 0);
            Socket trickling = new Socket(InetAddress.getLoopbackAddress(), s.port(), other, 0);
            OutputStream out = trickling.getOutputStream();
            out.write("GET /x HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            assertThat(closedWithin(silent, 5000)).isTrue();
            for (int i = 0; i < 3; i++) { // a header byte now and then does not keep it open
                Thread.sleep(200);
                try {
                    out.write('X');
                    out.flush();
                } catch (java.io.IOException closed) {
                    break;
                }
            }
            assertThat(closedWithin(trickling, 5000)).isTrue();
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(4.0);
        }
    }

    @Test
    void shouldKeepAnsweringWhileManyHalfOpenConnectionsAreHeld() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (HttpServer s = server(limits(64, 16, 10), null, null)) {
            List<Socket> halfOpen = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    halfOpen.add(new Socket(InetAddress.getLoopbackAddress(), s.port(), other, 0));
                }
                // Answered at once, not after the half-open ones time out (10 s here).
                long start = System.nanoTime();
                assertThat(rawGet(s.port())).startsWith("HTTP/1.1 200");
                assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
                waitFor(() -> s.connections().refused(ConnectionLimiter.Refusal.PER_PEER) == 184);
            } finally {
                for (Socket k : halfOpen) {
                    k.close();
                }
            }
        }
    }

    /** One GET /x from 127.0.0.1 on a connection of its own, closed after the answer. */
    private static String rawGet(int port) throws Exception {
        try (Socket k = new Socket(InetAddress.getLoopbackAddress(), port)) {
            k.setSoTimeout(10_000);
            k.getOutputStream()
                    .write(
                            "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            return new String(k.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
