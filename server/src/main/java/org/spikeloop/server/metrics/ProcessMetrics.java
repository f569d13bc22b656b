package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The process's meters: Micrometer's binders for JVM memory, GC ({@code jvm_gc_pause_seconds} is
 * registered at the first GC), class loading and uptime, and this package's for threads ({@link
 * ThreadMeters}) and processors ({@link ProcessorMeters}), which take their costly readings once
 * per scrape ({@link #beforeScrape}) instead of once per gauge. Bound once at start-up; {@link
 * #close} stops the GC notifications and closes /proc/stat.
 */
public final class ProcessMetrics implements MeterBinder, AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ThreadMeters threads = new ThreadMeters();
    private final ProcessorMeters processors = new ProcessorMeters();

    @Override
    public void bindTo(MeterRegistry r) {
        new JvmMemoryMetrics().bindTo(r);
        gc.bindTo(r);
        threads.bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        processors.bindTo(r);
        new UptimeMetrics().bindTo(r);
    }

    /** Takes the thread counts and CPU readings the gauges show (the scraping thread). */
    public void beforeScrape() {
        threads.refresh();
        processors.refresh();
    }

    @Override
    public void close() {
        gc.close();
        processors.close();
    }
}
