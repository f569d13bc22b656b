package org.spikeloop.server.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * The text of the last scrape, kept for the next: a scrape writes into it and copies it once
     * into the reply, rather than growing a new buffer, decoding it to a string and encoding that
     * again (a third of a scrape's garbage). Guarded by {@code this}.
     */
    private final ByteArrayOutputStream text = new ByteArrayOutputStream(64 * 1024);

    public MetricsRoute(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public HttpReply handle(RouteRequest request) {
        byte[] body;
        synchronized (this) {
            text.reset();
            try {
                metrics.scrape(text, TEXT_FORMAT);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
            body = text.toByteArray();
        }
        return HttpReply.ok(TEXT_FORMAT, body);
    }
}
