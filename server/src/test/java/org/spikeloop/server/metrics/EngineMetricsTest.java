package org.spikeloop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.FramePublisher;
import org.spikeloop.server.engine.FrameRing;
import org.spikeloop.server.engine.LatencyRecorders;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

class EngineMetricsTest {
    /** Binds a real engine's and publisher's meters and keeps no reference to either. */
    private static void bindUnreferencedEngine(PrometheusMeterRegistry registry, EngineCounters c) {
        NetworkSpec spec =
                new NetworkSpec(
                        1.0,
                        4,
                        null,
                        List.of(new LayerSpec(8, true, NeuronSpec.alif())),
                        ReadoutSpec.leaky(2));
        FrameRing frames = new FrameRing(2, 16);
        EngineAgent engine =
                new EngineAgent(
                        "s-1",
                        new NetworkDecoder(spec, Initializer.initialise(spec, InitSpec.seeded(3))),
                        null,
                        new SampleRing(4, 16),
                        new SampleRing(2, 16),
                        frames,
                        4,
                        c,
                        new LatencyRecorders(),
                        EngineClock.system(),
                        1_000_000_000L,
                        LearningMode.PAUSED,
                        0.01,
                        20,
                        "");
        FramePublisher publisher =
                new FramePublisher(
                        "s-1",
                        frames,
                        EngineClock.system(),
                        4,
                        c.watcherFramesDropped,
                        c.framesSent);
        new EngineMetrics("s-1", c, engine, publisher).bindTo(registry);
    }

    @Test
    void shouldReadTheEngineAndPublisherThroughTheirCountersAndGaugesAfterAGc()
            throws InterruptedException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EngineCounters c = new EngineCounters();
        bindUnreferencedEngine(registry, c);
        EngineCounters.add(c.deadlineMisses, 4);
        EngineCounters.add(c.steps, 9);
        WeakReference<Object> control = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && control.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(control.get()).as("a GC ran").isNull();

        // Micrometer holds a gauge's object weakly by default: these would read NaN now.
        assertThat(registry.scrape())
                .contains("spikeloop_steps_total{session=\"s-1\"} 9.0")
                .contains("spikeloop_deadline_misses_total{session=\"s-1\"} 4.0")
                .contains("spikeloop_guard_events_total{session=\"s-1\"} 0.0")
                .contains("spikeloop_watcher_frames_dropped_total{session=\"s-1\"} 0.0")
                .contains("spikeloop_spike_rate_hertz{session=\"s-1\"} 0.0")
                .contains("spikeloop_decode_squared_error{session=\"s-1\"} NaN")
                .contains("spikeloop_watchers{session=\"s-1\"} 0.0")
                .containsPattern("spikeloop_weight_norm\\{session=\"s-1\"} [0-9]+\\.[0-9]+");
    }
}
