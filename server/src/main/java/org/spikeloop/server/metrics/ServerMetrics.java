package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;

/**
 * The process-wide registry: Prometheus, with the JVM memory, GC, thread, class-loader, processor
 * and uptime binders registered once at start-up; its output passes {@code promtool check metrics}.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServerMetrics() {
        // Two ProcessorMetrics names break Prometheus naming rules (`promtool check metrics`):
        // the CPU count would end in _count like a histogram part, and the CPU time counter carries
        // its unit abbreviated (_ns_total). Rename the first; drop the second (process_cpu_usage
        // stays).
        registry.config()
                .meterFilter(
                        new MeterFilter() {
                            @Override
                            public Meter.Id map(Meter.Id id) {
                                return id.getName().equals("system.cpu.count")
                                        ? id.withName("system.cpus")
                                        : id;
                            }
                        })
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Reports the free and total space of the volume holding {@code dir}: {@code
     * disk_free_bytes{path, volume}} and {@code disk_total_bytes{path, volume}} (Micrometer's
     * DiskSpaceMetrics, read at scrape time).
     */
    public void bindDiskSpace(Path dir, String volume) {
        new DiskSpaceMetrics(dir.toAbsolutePath().toFile(), Tags.of("volume", volume))
                .bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
