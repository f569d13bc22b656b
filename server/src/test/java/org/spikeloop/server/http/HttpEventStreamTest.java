package org.spikeloop.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.security.TokenStore;

/**
 * Event streams, public routes and POST on the HTTP listener, against real sockets on loopback: the
 * stream cap ({@code http.maxEventStreams}) with the stream that exceeds it, a client that never
 * reads (its sender never waits), a route's refusal before a stream opens, and the token rules.
 */
class HttpEventStreamTest {
    private static final String TOKEN = "viewer-token-0123456789ab";

    @TempDir Path dir;

    /** An event stream route that keeps every stream it opens, to send on from the test. */
    private static final class Streams implements EventStreamRoute {
        final List<EventStream> open = new CopyOnWriteArrayList<>();

        @Override
        public void check(RouteRequest request) {
            if (request.param("session").equals("missing")) {
                throw new RouteException(404, "no session missing");
            }
        }

        @Override
        public void open(RouteRequest request, EventStream stream) {
            open.add(stream);
        }
    }

    private static ServerConfig.HttpConfig limits(int maxStreams) {
        return new ServerConfig.HttpConfig(64, 64, 10, 8192, maxStreams, true);
    }

    private static HttpServer server(
            ServerConfig.HttpConfig limits,
            TokenStore tokens,
            Map<String, HttpRoute> routes,
            Streams streams)
            throws Exception {
        return new HttpServer(
                "127.0.0.1", 0, limits, null, tokens, null, routes, Map.of("/s", streams));
    }

    /** Opens a raw connection and sends a GET of {@code path}; the caller reads (or does not). */
    private static Socket openGet(int port, String path, int receiveBufferBytes) throws Exception {
        Socket k = new Socket();
        if (receiveBufferBytes > 0) {
            k.setReceiveBufferSize(receiveBufferBytes);
        }
        k.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        k.setSoTimeout(10_000);
        OutputStream out = k.getOutputStream();
        out.write(
                ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return k;
    }

    private static String statusLine(Socket k) throws Exception {
        return new BufferedReader(new InputStreamReader(k.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(end);
            Thread.sleep(10);
        }
    }

    @Test
    void shouldCapEventStreamsAndRefuseTheOneOverTheCapWith503NamingTheKey() throws Exception {
        Streams streams = new Streams();
        try (HttpServer s = server(limits(2), null, Map.of(), streams)) {
            Socket a = openGet(s.port(), "/s?session=x", 0);
            Socket b = openGet(s.port(), "/s?session=x", 0);
            assertThat(statusLine(a)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(statusLine(b)).isEqualTo("HTTP/1.1 200 OK");
            waitFor(() -> s.openEventStreams() == 2);
            try (Socket third = openGet(s.port(), "/s?session=x", 0)) {
                String answer =
                        new String(third.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 503").contains("http.maxEventStreams = 2");
            }
            // A stream that closes gives its place back.
            a.close();
            waitFor(() -> s.openEventStreams() == 1);
            try (Socket again = openGet(s.port(), "/s?session=x", 0)) {
                assertThat(statusLine(again)).isEqualTo("HTTP/1.1 200 OK");
            }
            b.close();
            // The route opens a stream after its headers went out: wait for the third.
            waitFor(() -> streams.open.size() == 3);
        }
    }

    @Test
    void shouldDeliverEventsAndAnswerARefusalBeforeTheStreamOpens() throws Exception {
        Streams streams = new Streams();
        try (HttpServer s = server(limits(4), null, Map.of(), streams)) {
            try (Socket missing = openGet(s.port(), "/s?session=missing", 0)) {
                String answer =
                        new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 404").contains("no session missing");
            }
            assertThat(streams.open).isEmpty();
            try (Socket k = openGet(s.port(), "/s?session=x", 0)) {
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(k.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                waitFor(() -> streams.open.size() == 1);
                assertThat(streams.open.get(0).send("frame", "{\"step\":1}")).isTrue();
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                    lines.add(line);
                }
                assertThat(lines)
                        .anyMatch(
                                l -> l.toLowerCase().startsWith("content-type: text/event-stream"));
                assertThat(lines).contains("event: frame");
                assertThat(line).isEqualTo("data: {\"step\":1}");
            }
        }
    }

    @Test
    void shouldNeverHoldUpTheSenderForAClientThatDoesNotRead() throws Exception {
        Streams streams = new Streams();
        try (HttpServer s = server(limits(4), null, Map.of(), streams);
                Socket stuck = openGet(s.port(), "/s?session=x", 4096)) {
            waitFor(() -> streams.open.size() == 1);
            EventStream stream = streams.open.get(0);
            String event = "{\"y\":[" + "0.123456,".repeat(150) + "0]}"; // ~1.4 kB
            int sends = 20_000; // ~28 MB: far more than any socket and the stream's buffer hold
            long start = System.nanoTime();
            int taken = 0;
            for (int i = 0; i < sends; i++) {
                if (stream.send("frame", event)) {
                    taken++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // The client never read: most events were dropped, none waited for it.
            assertThat(stream.dropped()).isEqualTo(sends - taken).isGreaterThan(sends / 2);
            assertThat(seconds).as("sending to a stuck client").isLessThan(5.0);
            assertThat(stream.isOpen()).isTrue();
            // Another client of the same listener still gets its events at once.
            try (Socket reader = openGet(s.port(), "/s?session=x", 0)) {
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        reader.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                waitFor(() -> streams.open.size() == 2);
                assertThat(streams.open.get(1).send("frame", "{\"step\":2}")).isTrue();
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                    // headers, chunk sizes, the event's name
                }
                assertThat(line).isEqualTo("data: {\"step\":2}");
            }
        }
    }

    @Test
    void shouldServePublicRoutesWithoutATokenAndPostOnlyToRoutesThatTakeIt() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "bob viewer " + TOKEN + "\n");
        List<RouteRequest> seen = new CopyOnWriteArrayList<>();
        HttpRoute pub =
                new HttpRoute() {
                    @Override
                    public HttpReply handle(RouteRequest r) {
                        return HttpReply.ok(
                                "text/html", "<p>page</p>".getBytes(StandardCharsets.UTF_8));
                    }

                    @Override
                    public boolean isPublic() {
                        return true;
                    }
                };
        HttpRoute action =
                new HttpRoute() {
                    @Override
                    public HttpReply handle(RouteRequest r) {
                        seen.add(r);
                        if (r.param("what").equals("forbidden")) {
                            throw new RouteException(403, "not for you");
                        }
                        return HttpReply.ok("text/plain", "done".getBytes(StandardCharsets.UTF_8));
                    }

                    @Override
                    public boolean acceptsPost() {
                        return true;
                    }
                };
        HttpRoute data = r -> HttpReply.ok("text/plain", "data".getBytes(StandardCharsets.UTF_8));
        try (HttpServer s =
                server(
                        limits(4),
                        TokenStore.load(file),
                        Map.of("/", pub, "/act", action, "/data", data),
                        new Streams())) {
            assertThat(send(s, "GET", "/", null).statusCode()).isEqualTo(200);
            assertThat(send(s, "GET", "/data", null).statusCode()).isEqualTo(401);
            assertThat(send(s, "GET", "/s?session=x", null).statusCode()).isEqualTo(401);
            assertThat(send(s, "POST", "/data", TOKEN).statusCode()).isEqualTo(405);
            assertThat(send(s, "POST", "/", TOKEN).statusCode()).isEqualTo(405);
            assertThat(send(s, "POST", "/act?what=x", null).statusCode()).isEqualTo(401);
            HttpResponse<String> done = send(s, "POST", "/act?what=x", TOKEN);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(seen.get(0).method()).isEqualTo("POST");
            assertThat(seen.get(0).caller().name()).isEqualTo("bob");
            assertThat(seen.get(0).authorization()).isEqualTo("Bearer " + TOKEN);
            HttpResponse<String> refused = send(s, "POST", "/act?what=forbidden", TOKEN);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).isEqualTo("not for you\n");
        }
    }

    private static HttpResponse<String> send(HttpServer s, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                        .timeout(java.time.Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
