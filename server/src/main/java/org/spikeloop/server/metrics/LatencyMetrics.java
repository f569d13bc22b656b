package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;

/**
 * A session's latency histograms, which the engine records into directly (allocation-free; {@code
 * EngineAgentTest} measures 0 B per step with these timers): {@code spikeloop_step_latency_seconds}
 * (compute time per decoder step) and {@code spikeloop_e2e_latency_seconds} (source time stamp to
 * decoded frame published). Bound when the session is created, before its engine, which takes the
 * timers ({@link #step}, {@link #endToEnd}).
 *
 * <p>Threading: bound on the control plane; the timers are recorded on the engine thread.
 */
public final class LatencyMetrics implements MeterBinder {
    private final String sessionId;
    private Timer step;
    private Timer endToEnd;

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

    /** The step-latency timer (null before {@link #bindTo}). */
    public Timer step() {
        return step;
    }

    /** The end-to-end latency timer (null before {@link #bindTo}). */
    public Timer endToEnd() {
        return endToEnd;
    }
}
