package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * The checkpoint registry's meters, read from its index at scrape time (the registry is shared with
 * standalone training processes, so only the index knows what it holds): {@code
 * spikeloop_registry_checkpoints}, the checkpoints listed, and {@code
 * spikeloop_registry_size_bytes}, the bytes of their files. Bound once at start-up.
 *
 * <p>Threading: read on the scraping thread; each read takes the registry's lock (file I/O, a few
 * times a minute).
 */
public final class RegistryMetrics implements MeterBinder {
    private final CheckpointRegistry registry;

    public RegistryMetrics(CheckpointRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Gauge.builder("spikeloop.registry.checkpoints", registry, g -> g.list().size())
                .description("Checkpoints listed in the checkpoint registry")
                .register(r);
        Gauge.builder("spikeloop.registry.size", registry, RegistryMetrics::bytes)
                .description("Bytes of the checkpoint files the registry lists")
                .baseUnit("bytes")
                .register(r);
    }

    private static double bytes(CheckpointRegistry registry) {
        long sum = 0;
        for (RegistryEntry e : registry.list()) {
            sum += e.bytes();
        }
        return sum;
    }
}
