package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process-wide Prometheus registry and the binders bound to it: {@link ProcessMetrics} and
 * {@link SessionMetrics} at construction, the others ({@link DiskMetrics}, {@link RegistryMetrics},
 * {@link JobMetrics}) by the application with {@link #bind} as it builds the parts they read. Each
 * subsystem's binder is bound once, at start-up; a session's own binders are bound when it is
 * created ({@link SessionMeters}). Every meter is named in Micrometer's dotted form ({@code
 * spikeloop.samples.in}, base units in {@code baseUnit}), which the Prometheus registry renders as
 * {@code spikeloop_samples_in_total}, {@code ..._seconds}, {@code ..._bytes}; the output passes
 * {@code promtool check metrics}. docs/server.md lists every meter (a test compares the list with a
 * running application).
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProcessMetrics process = new ProcessMetrics();
    private final SessionMetrics sessions = new SessionMetrics();

    public ServerMetrics() {
        bind(process);
        bind(sessions);
    }

    /** Binds a subsystem's binder (once, at start-up). */
    public <B extends MeterBinder> B bind(B binder) {
        binder.bindTo(registry);
        return binder;
    }

    /** The sessions' binder: opens each session's meters. */
    public SessionMetrics sessions() {
        return sessions;
    }

    /**
     * The registry in the given Prometheus format, after every session's latency histograms took in
     * what their engines recorded since the last scrape.
     */
    public String scrape(String contentType) {
        beforeScrape();
        return registry.scrape(contentType);
    }

    /**
     * {@link #scrape(String)} written to {@code out} (UTF-8), without the intermediate string.
     *
     * @throws IOException when {@code out} cannot take it
     */
    public void scrape(OutputStream out, String contentType) throws IOException {
        beforeScrape();
        registry.scrape(out, contentType);
    }

    /** The readings that are taken once per scrape rather than once per gauge. */
    private void beforeScrape() {
        process.beforeScrape();
        sessions.beforeScrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        process.close();
        registry.close();
    }
}
