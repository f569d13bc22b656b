package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.FramePublisher;

/**
 * A session's engine and publisher meters: counters over the engine's and the publisher's
 * single-writer {@link EngineCounters} ({@code FunctionCounter}s, so neither ever calls Micrometer)
 * and gauges of the engine's live values (volatile reads). Bound when the session is created, after
 * its engine and publisher exist; the latency histograms are {@link LatencyMetrics}.
 *
 * <p>Threading: bound on the control plane; the counters and gauges are read at scrape time.
 */
public final class EngineMetrics implements MeterBinder {
    private final String sessionId;
    private final EngineCounters counters;
    private final EngineAgent engine;
    private final FramePublisher publisher;

    public EngineMetrics(
            String sessionId,
            EngineCounters counters,
            EngineAgent engine,
            FramePublisher publisher) {
        this.sessionId = sessionId;
        this.counters = counters;
        this.engine = engine;
        this.publisher = publisher;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        EngineCounters c = counters;
        counter(r, "spikeloop.steps", "Decoder steps taken", c.steps);
        counter(
                r,
                "spikeloop.deadline.misses",
                "Frames published later than arrival + dt",
                c.deadlineMisses);
        counter(
                r,
                "spikeloop.stream.stalls",
                "Times the input went silent past the stall limit",
                c.stalls);
        counter(r, "spikeloop.spikes", "Hidden-layer spikes", c.spikes);
        counter(
                r,
                "spikeloop.learning.updates",
                "Weight updates applied by the online learner",
                c.learningUpdates);
        counter(
                r,
                "spikeloop.guard.events",
                "Learning guard events (non-finite update restored the last good weights)",
                c.guardEvents);
        counter(
                r,
                "spikeloop.decoder.errors",
                "Decoder steps that failed (session in ERROR)",
                c.stepErrors);
        counter(
                r,
                "spikeloop.watcher.frames.dropped",
                "Frames lost by watchers that did not keep up",
                c.watcherFramesDropped);
        counter(r, "spikeloop.frames.sent", "Frames delivered to watchers", c.framesSent);
        gauge(
                r,
                "spikeloop.spike.rate",
                "hertz",
                "Mean hidden-neuron firing rate over the last second",
                engine,
                EngineAgent::spikeRateHz);
        gauge(
                r,
                "spikeloop.weight.norm",
                null,
                "Frobenius norm of the decoder weights",
                engine,
                EngineAgent::weightNormView);
        gauge(
                r,
                "spikeloop.decode.squared.error",
                null,
                "EMA of the mean squared decode error vs labels",
                engine,
                EngineAgent::recentError);
        gauge(
                r,
                "spikeloop.watchers",
                null,
                "Watch streams subscribed",
                publisher,
                FramePublisher::size);
    }

    private void counter(MeterRegistry r, String name, String help, AtomicLong c) {
        SessionMeters.counter(r, sessionId, name, help, c);
    }

    private <T> void gauge(
            MeterRegistry r,
            String name,
            String baseUnit,
            String help,
            T source,
            ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value)
                .description(help)
                .baseUnit(baseUnit)
                .tags(SessionMeters.tags(sessionId))
                // Micrometer holds a gauge's object weakly by default (the gauge then reads NaN
                // once it is collected); the session's meters are removed when it stops.
                .strongReference(true)
                .register(r);
    }
}
