package org.spikeloop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {
    @Test
    void shouldServeThePrometheusTextFormatOnLoopback() throws Exception {
        try (ServerMetrics metrics = new ServerMetrics();
                MetricsHttpServer http =
                        new MetricsHttpServer(metrics.registry(), "127.0.0.1", 0)) {
            Counter.builder("spikeloop.test.events").register(metrics.registry()).increment(3);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + http.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(r.body())
                    .contains("spikeloop_test_events_total 3.0")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_gc_");
            HttpResponse<String> post =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + http.port() + "/metrics"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
