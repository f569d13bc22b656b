package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.recording.SessionRecording;

/**
 * The per-session meters, registered once when the session is created and removed when it stops.
 * Counters are {@link FunctionCounter}s over the session's single-writer {@link EngineCounters}, so
 * the engine never calls Micrometer for them; the two latency timers are Prometheus histograms the
 * engine records into directly (allocation-free). Names follow Prometheus conventions once the
 * registry renders them: {@code spikeloop_step_latency_seconds_bucket}, {@code
 * spikeloop_deadline_misses_total}, ... with a {@code session} label. The gauges of live values
 * ({@link Views}) are registered by {@link #registerViews} once the engine and the publisher they
 * read exist (the engine takes its latency timers from here, so it is built after the counters).
 *
 * <p>Threading: construction, registration and {@link #close} on the control plane.
 */
public final class SessionMeters implements AutoCloseable {
    /** Live values read by gauges (any thread; each a racy-but-atomic read of a volatile). */
    public interface Views {
        double spikeRateHz();

        double weightNorm();

        double decodeError();

        double watchers();
    }

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer stepLatency;
    private final Timer endToEndLatency;
    private final GovernanceMeters governance;
    private final Tags sessionTags;

    public SessionMeters(MeterRegistry registry, String sessionId, EngineCounters c) {
        this.registry = registry;
        Tags tags = Tags.of("session", sessionId);
        this.sessionTags = tags;
        stepLatency =
                add(
                        Timer.builder("spikeloop.step.latency")
                                .description("Engine compute time per decoder step")
                                .tags(tags)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(1_000))
                                .maximumExpectedValue(Duration.ofSeconds(1))
                                .register(registry));
        endToEndLatency =
                add(
                        Timer.builder("spikeloop.e2e.latency")
                                .description("Source time stamp to decoded frame published")
                                .tags(tags)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(10_000))
                                .maximumExpectedValue(Duration.ofSeconds(10))
                                .register(registry));
        counter("spikeloop.steps", "Decoder steps taken", tags, c.steps);
        counter(
                "spikeloop.deadline.misses",
                "Frames published later than arrival + dt",
                tags,
                c.deadlineMisses);
        counter("spikeloop.samples.in", "Samples accepted into the input ring", tags, c.samplesIn);
        counter(
                "spikeloop.samples.dropped",
                "Samples dropped because the input ring was full",
                tags,
                c.samplesDropped);
        counter(
                "spikeloop.samples.non.finite",
                "Samples rejected for NaN or infinite values",
                tags,
                c.samplesNonFinite);
        counter(
                "spikeloop.samples.timestamps.repaired",
                "Samples whose source time stamp broke the stamp rule and was repaired",
                tags,
                c.samplesTimestampsRepaired);
        counter(
                "spikeloop.labels.timestamps.repaired",
                "Labels whose source time stamp broke the stamp rule and was repaired",
                tags,
                c.labelsTimestampsRepaired);
        counter("spikeloop.labels.in", "Labels accepted", tags, c.labelsIn);
        counter(
                "spikeloop.stream.stalls",
                "Times the input went silent past the stall limit",
                tags,
                c.stalls);
        counter("spikeloop.spikes", "Hidden-layer spikes", tags, c.spikes);
        counter(
                "spikeloop.learning.updates",
                "Weight updates applied by the online learner",
                tags,
                c.learningUpdates);
        counter(
                "spikeloop.guard.events",
                "Learning guard events (non-finite update restored the last good weights)",
                tags,
                c.guardEvents);
        counter(
                "spikeloop.decoder.errors",
                "Decoder steps that failed (session in ERROR)",
                tags,
                c.stepErrors);
        counter(
                "spikeloop.watcher.frames.dropped",
                "Frames lost by watchers that did not keep up",
                tags,
                c.watcherFramesDropped);
        counter("spikeloop.frames.sent", "Frames delivered to watchers", tags, c.framesSent);
        governance = new GovernanceMeters(registry, sessionId);
        meters.addAll(governance.meters());
    }

    /** Registers the gauges of the session's live values (once, before the session starts). */
    public void registerViews(Views views) {
        Tags tags = sessionTags;
        gauge(
                "spikeloop.spike.rate.hertz",
                "Mean hidden-neuron firing rate over the last second",
                tags,
                views,
                Views::spikeRateHz);
        gauge(
                "spikeloop.weight.norm",
                "Frobenius norm of the decoder weights",
                tags,
                views,
                Views::weightNorm);
        gauge(
                "spikeloop.decode.squared.error",
                "EMA of the mean squared decode error vs labels",
                tags,
                views,
                Views::decodeError);
        gauge("spikeloop.watchers", "Watch streams subscribed", tags, views, Views::watchers);
    }

    /**
     * Registers the counters of the session's XDF recording: {@code
     * spikeloop_recording_write_errors_total} and {@code spikeloop_recording_dropped_total}.
     */
    public void registerRecording(String sessionId, SessionRecording recording) {
        Tags tags = Tags.of("session", sessionId);
        add(
                FunctionCounter.builder(
                                "spikeloop.recording.write.errors",
                                recording,
                                SessionRecording::writeErrors)
                        .description(
                                "XDF write failures of the session's recording (file not created,"
                                        + " or the recorder stopped on an I/O error)")
                        .tags(tags)
                        .register(registry));
        add(
                FunctionCounter.builder(
                                "spikeloop.recording.dropped",
                                recording,
                                SessionRecording::droppedChunks)
                        .description(
                                "Chunks not recorded because the recorder's queue was full (or the"
                                        + " recorder had stopped on a write error)")
                        .tags(tags)
                        .register(registry));
    }

    /**
     * Registers one more counter of the session (an optional part such as its LSL outlet or label
     * source), read from a single-writer {@code source}; removed with the session's other meters.
     */
    public void addCounter(String name, String help, AtomicLong source) {
        counter(name, help, sessionTags, source);
    }

    /** The session's governance meters (registered with the session; updated by governance). */
    public GovernanceMeters governance() {
        return governance;
    }

    public Timer stepLatency() {
        return stepLatency;
    }

    public Timer endToEndLatency() {
        return endToEndLatency;
    }

    private void counter(String name, String help, Tags tags, AtomicLong source) {
        add(
                FunctionCounter.builder(name, source, AtomicLong::get)
                        .description(help)
                        .tags(tags)
                        .register(registry));
    }

    private void gauge(
            String name, String help, Tags tags, Views views, ToDoubleFunction<Views> f) {
        // Micrometer holds a gauge's object weakly: the session's Views exists only here, so
        // without a strong reference the gauges read NaN after the first GC.
        add(
                Gauge.builder(name, views, f)
                        .description(help)
                        .tags(tags)
                        .strongReference(true)
                        .register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
