package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The free and total space of the volumes holding the server's data directories: {@code
 * disk_free_bytes{path, volume}} and {@code disk_total_bytes{path, volume}} (Micrometer's
 * DiskSpaceMetrics, read at scrape time), one {@code volume} per directory ({@code recordings},
 * {@code checkpoints}). Bound once at start-up, after the directories exist.
 */
public final class DiskMetrics implements MeterBinder {
    private final Map<String, Path> volumes;

    /**
     * @param volumes directory by volume name, in the order given
     */
    public DiskMetrics(Map<String, Path> volumes) {
        this.volumes = new LinkedHashMap<>(volumes);
    }

    @Override
    public void bindTo(MeterRegistry r) {
        for (Map.Entry<String, Path> v : volumes.entrySet()) {
            new DiskSpaceMetrics(
                            v.getValue().toAbsolutePath().toFile(), Tags.of("volume", v.getKey()))
                    .bindTo(r);
        }
    }
}
