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
 * <p>Values reach Prometheus at HdrHistogram's resolution (3 significant digits), far finer than
 * the histogram's buckets. A value recorded before {@link #bindTo} reaches the statistics API but
 * not Prometheus.
 *
 * <p>Threading: bound on the control plane; the recorders are written on the engine thread; the
 * timers are fed on the thread that scrapes or reads the statistics.
 */
public final class LatencyMetrics implements MeterBinder, SessionMeters.ReadsBeforeScrape {
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
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(1_000))
                        .maximumExpectedValue(Duration.ofSeconds(1))
                        .register(registry);
        endToEnd =
                Timer.builder("spikeloop.e2e.latency")
                        .description("Source time stamp to decoded frame published")
                        .tags(SessionMeters.tags(sessionId))
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry);
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
