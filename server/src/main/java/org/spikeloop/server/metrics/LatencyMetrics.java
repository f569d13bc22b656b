package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.spikeloop.server.engine.LatencyRecorders;

/**
 * A session's latency histograms: {@code spikeloop_step_latency_seconds} (compute time per decoder
 * step) and {@code spikeloop_e2e_latency_seconds} (source time stamp to decoded frame published).
 * The engine records into this binder's {@link #recorders} (HdrHistogram, wait-free); each scrape
 * first drains them and replays the new values into the Micrometer timers ({@link #beforeScrape}),
 * so Micrometer is only ever called on the scraping thread. Bound when the session is created,
 * before its engine, which takes the recorders.
 *
 * <p>The buckets are fixed ({@link #STEP_BUCKETS_US}, {@link #E2E_BUCKETS_US}): 23 and 26 bounds,
 * 20–33 % apart where these latencies live (20–100 µs a step, 150 µs – 1 ms end to end), with the
 * latency targets (0.5, 1 and 5 ms) and the deadlines of 1 kHz, 500 Hz, 250 Hz and 100 Hz sessions
 * as exact bounds, so an alert on "p99 over 1 ms" compares with a bucket rather than interpolating
 * between two. Micrometer's percentile histogram has 94 per timer over the same range, and a
 * scrape's cost grows with the series it writes (docs/benchmarks.md, "Issue 17: what a scrape
 * allocates").
 *
 * <p>Values reach Prometheus at HdrHistogram's resolution (3 significant digits), far finer than
 * the histogram's buckets. A value recorded before {@link #bindTo} reaches the statistics API but
 * not Prometheus.
 *
 * <p>Threading: bound on the control plane; the recorders are written on the engine thread; the
 * timers are fed on the thread that scrapes or reads the statistics.
 */
public final class LatencyMetrics implements MeterBinder, SessionMeters.ReadsBeforeScrape {
    /** Engine compute time per step: tens of µs on the benchmark machine, up to a second. */
    static final long[] STEP_BUCKETS_US = {
        5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300, 500, 700, 1_000, 2_000, 5_000,
        10_000, 50_000, 100_000, 1_000_000
    };

    /** Source stamp to published frame: a few hundred µs when on time, up to seconds behind. */
    static final long[] E2E_BUCKETS_US = {
        50,
        100,
        150,
        200,
        250,
        300,
        400,
        500,
        600,
        700,
        800,
        1_000,
        1_500,
        2_000,
        4_000,
        5_000,
        10_000,
        20_000,
        50_000,
        100_000,
        200_000,
        500_000,
        1_000_000,
        2_000_000,
        5_000_000,
        10_000_000
    };

    private final String sessionId;
    private final LatencyRecorders recorders = new LatencyRecorders(this::replay);
    private volatile Timer step;
    private volatile Timer endToEnd;

    public LatencyMetrics(String sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        step =
                Timer.builder("spikeloop.step.latency")
                        .description("Engine compute time per decoder step")
                        .tags(SessionMeters.tags(sessionId))
                        .serviceLevelObjectives(durations(STEP_BUCKETS_US))
                        .register(registry);
        endToEnd =
                Timer.builder("spikeloop.e2e.latency")
                        .description("Source time stamp to decoded frame published")
                        .tags(SessionMeters.tags(sessionId))
                        .serviceLevelObjectives(durations(E2E_BUCKETS_US))
                        .register(registry);
    }

    private static Duration[] durations(long[] micros) {
        Duration[] d = new Duration[micros.length];
        for (int i = 0; i < micros.length; i++) {
            d[i] = Duration.ofNanos(micros[i] * 1_000);
        }
        return d;
    }

    /** What the session's engine records into. */
    public LatencyRecorders recorders() {
        return recorders;
    }

    /** Brings the timers up to date with what the engine recorded. */
    @Override
    public void beforeScrape() {
        recorders.drain();
    }

    private void replay(Histogram stepInterval, Histogram endToEndInterval) {
        replay(stepInterval, step);
        replay(endToEndInterval, endToEnd);
    }

    private static void replay(Histogram interval, Timer timer) {
        if (timer == null) {
            return;
        }
        for (HistogramIterationValue v : interval.recordedValues()) {
            long ns = interval.medianEquivalentValue(v.getValueIteratedTo());
            for (long i = v.getCountAtValueIteratedTo(); i > 0; i--) {
                timer.record(ns, TimeUnit.NANOSECONDS);
            }
        }
    }
}
