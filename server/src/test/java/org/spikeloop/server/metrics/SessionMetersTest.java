package org.spikeloop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.engine.EngineCounters;

class SessionMetersTest {
    private static final SessionMeters.Views VIEWS =
            new SessionMeters.Views() {
                @Override
                public double spikeRateHz() {
                    return 12.5;
                }

                @Override
                public double weightNorm() {
                    return 3.0;
                }

                @Override
                public double decodeError() {
                    return 0.25;
                }

                @Override
                public double watchers() {
                    return 1;
                }
            };

    @Test
    void shouldExposeCountersGaugesAndHistogramsWithPrometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EngineCounters c = new EngineCounters();
        SessionMeters m = new SessionMeters(registry, "s-1", c);
        m.registerViews(VIEWS);
        EngineCounters.add(c.deadlineMisses, 4);
        EngineCounters.add(c.samplesNonFinite, 2);
        m.stepLatency().record(20, TimeUnit.MICROSECONDS);
        String text = registry.scrape();
        assertThat(text)
                .contains("spikeloop_deadline_misses_total{session=\"s-1\"} 4.0")
                .contains("spikeloop_samples_non_finite_total{session=\"s-1\"} 2.0")
                .contains("spikeloop_step_latency_seconds_bucket{session=\"s-1\",le=")
                .contains("spikeloop_step_latency_seconds_count{session=\"s-1\"} 1")
                .contains("spikeloop_spike_rate_hertz{session=\"s-1\"} 12.5")
                .contains("spikeloop_weight_norm{session=\"s-1\"} 3.0")
                .contains("spikeloop_guard_events_total{session=\"s-1\"} 0.0")
                .contains("spikeloop_watcher_frames_dropped_total{session=\"s-1\"} 0.0");
    }

    @Test
    void shouldKeepReadingTheGaugesAfterTheCallerDroppedItsViews() throws InterruptedException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // As the session factory does: the Views object is referenced by the meters only.
        new SessionMeters(registry, "s-4", new EngineCounters()).registerViews(views(7.5));
        WeakReference<Object> control = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && control.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(control.get()).as("a GC ran").isNull();

        assertThat(registry.scrape())
                .contains("spikeloop_spike_rate_hertz{session=\"s-4\"} 7.5")
                .contains("spikeloop_weight_norm{session=\"s-4\"} 3.0")
                .contains("spikeloop_decode_squared_error{session=\"s-4\"} 0.25")
                .contains("spikeloop_watchers{session=\"s-4\"} 1.0");
    }

    private static SessionMeters.Views views(double spikeRateHz) {
        return new SessionMeters.Views() {
            @Override
            public double spikeRateHz() {
                return spikeRateHz;
            }

            @Override
            public double weightNorm() {
                return 3.0;
            }

            @Override
            public double decodeError() {
                return 0.25;
            }

            @Override
            public double watchers() {
                return 1;
            }
        };
    }

    @Test
    void shouldRegisterTheGovernanceMetersAtCreationForGovernanceToUpdate() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SessionMeters m = new SessionMeters(registry, "s-3", new EngineCounters());
        m.registerViews(VIEWS);
        assertThat(registry.scrape())
                .contains("spikeloop_checkpoint_promotions_total{session=\"s-3\"} 0.0")
                .contains("spikeloop_checkpoint_rollbacks_total{session=\"s-3\"} 0.0")
                .contains("spikeloop_shadow_squared_error{decoder=\"live\",session=\"s-3\"} NaN")
                .contains(
                        "spikeloop_shadow_squared_error{decoder=\"reference\",session=\"s-3\"} NaN");
        m.governance().promoted();
        m.governance().shadowScores(0.5, 0.25);
        assertThat(registry.scrape())
                .contains("spikeloop_checkpoint_promotions_total{session=\"s-3\"} 1.0")
                .contains("spikeloop_shadow_squared_error{decoder=\"live\",session=\"s-3\"} 0.5")
                .contains(
                        "spikeloop_shadow_squared_error{decoder=\"reference\",session=\"s-3\"} 0.25");
        m.close();
        assertThat(registry.scrape()).doesNotContain("s-3");
    }

    @Test
    void shouldRemoveEveryMeterOnClose() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SessionMeters m = new SessionMeters(registry, "s-2", new EngineCounters());
        m.registerViews(VIEWS);
        assertThat(registry.getMeters()).isNotEmpty();
        m.close();
        assertThat(registry.getMeters()).isEmpty();
    }
}
