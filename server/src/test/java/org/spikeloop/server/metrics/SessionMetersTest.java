package org.spikeloop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.io.FrontEndFeed;
import org.spikeloop.server.io.SessionIo;

class SessionMetersTest {
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SessionMetrics sessions = new SessionMetrics();

    SessionMetersTest() {
        sessions.bindTo(registry);
    }

    /** What the engine records for frames this many µs after their source stamps. */
    private static void recordEndToEnd(LatencyMetrics latency, long... micros) {
        for (long us : micros) {
            latency.recorders().recordEndToEnd(TimeUnit.MICROSECONDS.toNanos(us));
        }
    }

    private static SessionIo grpcIo() {
        return new SessionIo(new FrontEndFeed(new SampleRing(2, 16), null), null, null, null);
    }

    @Test
    void shouldRenderDottedNamesAsPrometheusNamesWithTheSessionTag() {
        SessionMeters m = sessions.open("s-1");
        EngineCounters c = new EngineCounters();
        LatencyMetrics latency = m.bind(new LatencyMetrics("s-1"));
        m.bind(new IoMetrics("s-1", c, grpcIo()));
        EngineCounters.add(c.samplesNonFinite, 2);
        latency.recorders().recordStep(TimeUnit.MICROSECONDS.toNanos(20));
        sessions.beforeScrape();

        assertThat(registry.scrape())
                .contains("spikeloop_sessions 1.0")
                .contains("spikeloop_samples_non_finite_total{session=\"s-1\"} 2.0")
                .contains("spikeloop_samples_in_total{session=\"s-1\"} 0.0")
                .contains("spikeloop_step_latency_seconds_bucket{session=\"s-1\",le=")
                .contains("spikeloop_step_latency_seconds_count{session=\"s-1\"} 1")
                .contains("spikeloop_e2e_latency_seconds_count{session=\"s-1\"} 0")
                .doesNotContain("spikeloop_lsl_"); // no outlet, no LSL labels
    }

    /**
     * The latency targets and the common deadlines are bucket bounds: a frame 1 µs inside 1 ms
     * counts under le="0.001", one 1 % over does not.
     */
    @Test
    void shouldBucketTheLatenciesAtTheDeadlinesExactly() {
        SessionMeters m = sessions.open("s-7");
        LatencyMetrics latency = m.bind(new LatencyMetrics("s-7"));
        recordEndToEnd(latency, 999, 1_010);
        latency.recorders().recordStep(TimeUnit.MICROSECONDS.toNanos(45));
        sessions.beforeScrape();

        String e2e = "spikeloop_e2e_latency_seconds_bucket{session=\"s-7\",le=";
        String step = "spikeloop_step_latency_seconds_bucket{session=\"s-7\",le=";
        assertThat(registry.scrape())
                .contains(e2e + "\"5.0E-4\"} 0")
                .contains(e2e + "\"0.001\"} 1")
                .contains(e2e + "\"0.0015\"} 2")
                .contains(e2e + "\"0.004\"} 2")
                .contains(e2e + "\"0.005\"} 2")
                .contains(e2e + "\"+Inf\"} 2")
                .contains(step + "\"4.0E-5\"} 0")
                .contains(step + "\"5.0E-5\"} 1");
        assertThat(registry.scrape().lines().filter(l -> l.startsWith(e2e)))
                .hasSize(LatencyMetrics.E2E_BUCKETS_US.length + 1);
    }

    /**
     * The engine writes only its HdrHistogram recorders; each scrape replays what was recorded
     * since the previous one into the Prometheus histogram, once.
     */
    @Test
    void shouldFeedTheLatencyHistogramsFromTheEnginesRecordsAtEachScrapeOnce() {
        SessionMeters m = sessions.open("s-6");
        LatencyMetrics latency = m.bind(new LatencyMetrics("s-6"));
        recordEndToEnd(latency, 200, 200, 3_000);
        io.micrometer.core.instrument.Timer endToEnd =
                registry.get("spikeloop.e2e.latency").tag("session", "s-6").timer();
        assertThat(endToEnd.count()).isZero(); // nothing reaches Micrometer by itself

        sessions.beforeScrape();
        assertThat(endToEnd.count()).isEqualTo(3);
        assertThat(endToEnd.totalTime(TimeUnit.MICROSECONDS))
                .isCloseTo(3_400, org.assertj.core.data.Offset.offset(3.4)); // HdrHistogram: 0.1 %
        assertThat(registry.scrape())
                .contains("spikeloop_e2e_latency_seconds_count{session=\"s-6\"} 3")
                .contains("spikeloop_step_latency_seconds_count{session=\"s-6\"} 0");

        sessions.beforeScrape(); // nothing new: counted once
        assertThat(endToEnd.count()).isEqualTo(3);
        latency.recorders().recordEndToEnd(TimeUnit.MICROSECONDS.toNanos(200));
        assertThat(latency.recorders().endToEndSnapshot().getTotalCount()).isEqualTo(4);
        assertThat(endToEnd.count()).isEqualTo(4); // the statistics read fed it too

        m.close();
        latency.recorders().recordEndToEnd(1_000);
        sessions.beforeScrape(); // a stopped session is no longer drained
        assertThat(endToEnd.count()).isEqualTo(4);
    }

    @Test
    void shouldRegisterTheGovernanceMetersAtCreationAndCountActions() {
        SessionMeters m = sessions.open("s-3");
        GovernanceMetrics g = m.bind(new GovernanceMetrics("s-3"));
        assertThat(registry.scrape())
                .contains("spikeloop_checkpoint_promotions_total{session=\"s-3\"} 0.0")
                .contains("spikeloop_checkpoint_rollbacks_total{session=\"s-3\"} 0.0")
                .contains("spikeloop_shadow_squared_error{decoder=\"live\",session=\"s-3\"} NaN")
                .contains(
                        "spikeloop_shadow_squared_error{decoder=\"reference\",session=\"s-3\"} NaN")
                .doesNotContain("spikeloop_governance_actions_total");

        g.action("promote");
        g.action("snapshot");
        g.action("snapshot");
        g.shadowScores(0.5, 0.25);

        assertThat(registry.scrape())
                .contains("spikeloop_checkpoint_promotions_total{session=\"s-3\"} 1.0")
                .contains("spikeloop_checkpoint_rollbacks_total{session=\"s-3\"} 0.0")
                .contains(
                        "spikeloop_governance_actions_total{action=\"promote\",session=\"s-3\"}"
                                + " 1.0")
                .contains(
                        "spikeloop_governance_actions_total{action=\"snapshot\",session=\"s-3\"}"
                                + " 2.0")
                .contains("spikeloop_shadow_squared_error{decoder=\"live\",session=\"s-3\"} 0.5")
                .contains(
                        "spikeloop_shadow_squared_error{decoder=\"reference\",session=\"s-3\"}"
                                + " 0.25");
        assertThat(m.binder(GovernanceMetrics.class)).isSameAs(g);
    }

    @Test
    void shouldRemoveEveryMeterOfTheSessionOnCloseAndNoneOfAnother() {
        SessionMeters a = sessions.open("s-a");
        SessionMeters b = sessions.open("s-b");
        for (SessionMeters m : new SessionMeters[] {a, b}) {
            m.bind(new LatencyMetrics(m.sessionId()));
            m.bind(new IoMetrics(m.sessionId(), new EngineCounters(), grpcIo()));
            m.bind(new GovernanceMetrics(m.sessionId())).action("policy");
        }
        assertThat(registry.scrape()).contains("spikeloop_sessions 2.0");

        a.close();
        // Governance may still act on a session that has just stopped: nothing comes back.
        a.binder(GovernanceMetrics.class).action("rollback");
        a.close(); // idempotent

        String text = registry.scrape();
        assertThat(text)
                .doesNotContain("session=\"s-a\"")
                .contains("spikeloop_governance_actions_total{action=\"policy\",session=\"s-b\"}")
                .contains("spikeloop_step_latency_seconds_count{session=\"s-b\"}")
                .contains("spikeloop_sessions 1.0");
        assertThat(registry.getMeters())
                .noneMatch(x -> "s-a".equals(x.getId().getTag(SessionMeters.SESSION_TAG)));
    }

    @Test
    void shouldRefuseABinderOnceTheSessionStopped() {
        SessionMeters m = sessions.open("s-5");
        m.close();
        assertThatThrownBy(() -> m.bind(new LatencyMetrics("s-5")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("session s-5: its meters are closed");
        assertThatThrownBy(() -> m.binder(GovernanceMetrics.class))
                .hasMessage("session s-5 has no GovernanceMetrics bound");
        assertThat(registry.getMeters())
                .noneMatch(x -> "s-5".equals(x.getId().getTag(SessionMeters.SESSION_TAG)));
    }

    @Test
    void shouldRefuseToOpenSessionMetersBeforeBeingBound() {
        assertThatThrownBy(() -> new SessionMetrics().open("s-6"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bind the session metrics to a registry first");
    }
}
