package org.spikeloop.server.metrics;

import java.nio.charset.StandardCharsets;
import org.spikeloop.server.http.HttpReply;
import org.spikeloop.server.http.HttpRoute;
import org.spikeloop.server.http.RouteRequest;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format (version 0.0.4), served by the
 * server's {@link org.spikeloop.server.http.HttpServer} (its connection caps, timeouts, token check
 * and TLS apply).
 */
public final class MetricsRoute implements HttpRoute {
    /** The path Prometheus scrapes. */
    public static final String PATH = "/metrics";

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;

    public MetricsRoute(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public HttpReply handle(RouteRequest request) {
        return HttpReply.ok(
                TEXT_FORMAT, metrics.scrape(TEXT_FORMAT).getBytes(StandardCharsets.UTF_8));
    }
}
