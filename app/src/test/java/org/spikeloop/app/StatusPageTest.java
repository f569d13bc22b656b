package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionStatistics;

/**
 * The status page's routes in the assembled application (tokens on, HTTP on loopback): its JSON is
 * what the gRPC services answer, its actions pass their role check and audit, and its live feed is
 * one watcher slot per session however many browsers read it, a browser that never reads slowing
 * nothing.
 */
class StatusPageTest {
    private static final String OP = InProcessFixture.OPERATOR_TOKEN;
    private static final String VIEWER = InProcessFixture.VIEWER_TOKEN;

    @TempDir Path dir;

    private InProcessFixture app() throws Exception {
        Properties p = new Properties();
        p.setProperty("metrics.port", "0");
        return new InProcessFixture(dir, true, p);
    }

    private static String createSession(InProcessFixture f) {
        return InProcessFixture.withToken(SessionServiceGrpc.newBlockingStub(f.channel), OP)
                .createSession(InProcessFixture.session(4, 16, 2))
                .getId();
    }

    private static void push(InProcessFixture f, String id, int rows, double t0) throws Exception {
        Responses<IngestSummary> summary = new Responses<>();
        var in =
                InProcessFixture.withToken(IngestServiceGrpc.newStub(f.channel), OP)
                        .pushSamples(summary);
        for (int i = 0; i < rows / 100; i++) {
            in.onNext(IngestGrpcServiceTest.chunk(id, 4, 100, t0 + i * 0.1, 1f));
        }
        in.onCompleted();
        assertThat(summary.await().isOk()).isTrue();
    }

    private static SessionStatistics statistics(InProcessFixture f, String id) {
        return InProcessFixture.withToken(DecodeServiceGrpc.newBlockingStub(f.channel), VIEWER)
                .getStatistics(SessionId.newBuilder().setSessionId(id).build());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(10);
        }
    }

    private static HttpResponse<String> send(
            InProcessFixture f, String method, String path, String token) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.app.metricsPort() + path))
                        .timeout(java.time.Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePageToAnyoneAndItsFiguresAsTheGrpcServicesAnswerThemToATokenOnly()
            throws Exception {
        try (InProcessFixture f = app()) {
            assertThat(f.app.statusPageUrl())
                    .isEqualTo("http://127.0.0.1:" + f.app.metricsPort() + "/");
            HttpResponse<String> page = send(f, "GET", "/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Spikeloop status</title>");
            assertThat(send(f, "GET", "/page/uPlot.min.js", null).body()).contains("uPlot");
            assertThat(send(f, "GET", "/api/status", null).statusCode()).isEqualTo(401);

            String id = createSession(f);
            push(f, id, 2_000, 0);
            waitFor(() -> statistics(f, id).getSteps() == 2_000, "2000 steps");
            JsonObject all =
                    JsonParser.parseString(send(f, "GET", "/api/status", VIEWER).body())
                            .getAsJsonObject();
            JsonObject listed = all.getAsJsonArray("sessions").get(0).getAsJsonObject();
            assertThat(listed.getAsJsonObject("session").get("id").getAsString()).isEqualTo(id);
            assertThat(listed.getAsJsonObject("learning").get("mode").getAsString())
                    .startsWith("LEARNING_MODE_");
            assertThat(all.get("stream_rate_hz").getAsDouble()).isEqualTo(50.0);

            // A still session: the page's statistics are exactly GetStatistics'.
            SessionStatistics st = statistics(f, id);
            JsonObject one =
                    JsonParser.parseString(
                                    send(f, "GET", "/api/status?session=" + id, VIEWER).body())
                            .getAsJsonObject();
            JsonObject shown = one.getAsJsonObject("statistics");
            assertThat(shown.get("steps").getAsLong()).isEqualTo(st.getSteps());
            assertThat(shown.get("deadline_misses").getAsLong()).isEqualTo(st.getDeadlineMisses());
            assertThat(shown.getAsJsonObject("end_to_end_latency").get("p99_us").getAsDouble())
                    .isEqualTo(st.getEndToEndLatency().getP99Us());
            assertThat(one.get("governance").isJsonNull()).isTrue(); // not governed: said why
            assertThat(one.get("governance_error").getAsString()).contains("not under governance");
            assertThat(send(f, "GET", "/api/status?session=s-nope", VIEWER).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void shouldRefuseAViewersActionAndAuditItAndCarryOutAnOperatorsThroughTheAuditedCall()
            throws Exception {
        try (InProcessFixture f = app()) {
            String id = createSession(f);
            assertThat(
                            send(f, "GET", "/api/action?session=" + id + "&action=stop", OP)
                                    .statusCode())
                    .as("a GET never acts")
                    .isEqualTo(405);
            HttpResponse<String> refused =
                    send(f, "POST", "/api/action?session=" + id + "&action=stop", VIEWER);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("PERMISSION_DENIED").contains("role operator");
            assertThat(send(f, "POST", "/api/action?session=" + id + "&action=explode", OP).body())
                    .contains("action: must be stop, pause, resume or rollback");
            HttpResponse<String> stopped =
                    send(f, "POST", "/api/action?session=" + id + "&action=stop", OP);
            assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
            assertThat(f.app.sessions().list()).noneMatch(s -> s.id().equals(id));
            List<String> audit = Files.readAllLines(dir.resolve("audit.log"));
            assertThat(audit)
                    .filteredOn(l -> l.contains("\"page.refused\""))
                    .singleElement()
                    .asString()
                    .contains("\"who\":\"bob\"", "\"session\":\"" + id + "\"", "stop");
            assertThat(audit)
                    .anyMatch(
                            l ->
                                    l.contains("\"who\":\"alice\"")
                                            && l.contains("call SessionService/StopSession")
                                            && l.contains(id));
            assertThat(String.join("\n", audit)).doesNotContain(OP).doesNotContain(VIEWER);
        }
    }

    /** A raw GET of the session's feed with the viewer's token; the caller reads or does not. */
    private static Socket openFeed(InProcessFixture f, String id, int receiveBufferBytes)
            throws Exception {
        Socket k = new Socket();
        if (receiveBufferBytes > 0) {
            k.setReceiveBufferSize(receiveBufferBytes);
        }
        k.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), f.app.metricsPort()));
        k.setSoTimeout(20_000);
        OutputStream out = k.getOutputStream();
        out.write(
                ("GET /api/stream?session="
                                + id
                                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                + VIEWER
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return k;
    }

    private static long frames(List<String> lines) {
        return lines.stream().filter("event: frame"::equals).count();
    }

    /** Reads a feed's lines into {@code lines} on a thread of its own. */
    private static void readInto(Socket k, List<String> lines) {
        Thread t =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    k.getInputStream(), StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    lines.add(line);
                                }
                            } catch (java.io.IOException closed) {
                                lines.add("closed: " + closed.getMessage());
                            }
                        },
                        "feed-reader");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void shouldFeedEveryBrowserFromOneWatcherSlotAndNeverSlowTheSessionForOneThatDoesNotRead()
            throws Exception {
        try (InProcessFixture f = app()) {
            String id = createSession(f);
            var session = f.app.sessions().get(id);
            List<String> a = new CopyOnWriteArrayList<>();
            List<String> b = new CopyOnWriteArrayList<>();
            try (Socket stuck = openFeed(f, id, 4096);
                    Socket readerA = openFeed(f, id, 0);
                    Socket readerB = openFeed(f, id, 0)) {
                readInto(readerA, a);
                readInto(readerB, b);
                waitFor(() -> a.contains("event: status") && b.contains("event: status"), "status");
                assertThat(session.watchers()).as("one slot for every browser").isEqualTo(1);
                assertThat(f.app.statusPage().openFeeds()).isEqualTo(1);

                // Decode-everything session: 20 s of samples, 4 s at a time (the input ring holds
                // 8192) as fast as the engine takes them. The stuck browser must not hold the
                // engine back: every step is made, none dropped.
                for (int k = 1; k <= 5; k++) {
                    push(f, id, 4_000, (k - 1) * 4.0);
                    long n = 4_000L * k;
                    waitFor(() -> statistics(f, id).getSteps() == n, n + " steps");
                }
                assertThat(statistics(f, id).getSamplesDropped()).isZero();
                // Nor the readers: with samples paced over time (a burst decodes within one 20-ms
                // frame interval of the feed) their frames keep coming.
                long aBefore = frames(a);
                long bBefore = frames(b);
                double t = 20.0;
                long end = System.nanoTime() + 20_000_000_000L;
                while ((frames(a) < aBefore + 5 || frames(b) < bBefore + 5)
                        && System.nanoTime() < end) {
                    push(f, id, 100, t);
                    t += 0.1;
                    Thread.sleep(10);
                }
                assertThat(frames(a)).as("frames at reader a").isGreaterThanOrEqualTo(aBefore + 5);
                assertThat(frames(b)).as("frames at reader b").isGreaterThanOrEqualTo(bBefore + 5);
                assertThat(a).anyMatch(l -> l.startsWith("data: {\"step\":"));
            }
            // The last browser gone, the slot is given back.
            waitFor(() -> session.watchers() == 0, "the slot back");
            waitFor(() -> f.app.statusPage().openFeeds() == 0, "no feed");

            try (Socket missing = openFeed(f, "s-nope", 0)) {
                String answer =
                        new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 404");
            }
        }
    }
}
