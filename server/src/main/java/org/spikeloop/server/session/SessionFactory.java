package org.spikeloop.server.session;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spikeloop.adapters.frontend.FrontEndSpec;
import org.spikeloop.adapters.frontend.StageSpec;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.EngineRejectedException;
import org.spikeloop.server.engine.EpropLearner;
import org.spikeloop.server.engine.FramePublisher;
import org.spikeloop.server.engine.FrameRing;
import org.spikeloop.server.engine.LatencyRecorders;
import org.spikeloop.server.engine.Learner;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.io.FrontEndFeed;
import org.spikeloop.server.io.LslEndpoints;
import org.spikeloop.server.io.LslLabelCounters;
import org.spikeloop.server.io.LslLabelSource;
import org.spikeloop.server.io.LslOutletAgent;
import org.spikeloop.server.io.LslSource;
import org.spikeloop.server.metrics.SessionMeters;
import org.spikeloop.server.recording.RecordingAgent;
import org.spikeloop.server.recording.RowRecorder;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.InvalidSpecException;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/**
 * Validates a {@link SessionConfig} and assembles a {@link Session}: decoder (fresh, from a
 * checkpoint registry id, or from a legacy checkpoint file name), rings, engine, publisher, meters
 * and (unless {@code recording.enabled=false}) the XDF recording {@code
 * <recordings.dir>/<session-id>-<UTC time>.xdf} with its recorder agent. Control plane; allocates.
 */
public final class SessionFactory {
    /** Largest hidden layer a fresh architecture may ask for. */
    public static final int MAX_HIDDEN = 4096;

    /** Most input channels / outputs a session may have. */
    public static final int MAX_CHANNELS = 4096;

    private final ServerConfig config;
    private final CheckpointStore checkpoints;
    private final CheckpointRegistry registry;
    private final MeterRegistry meterRegistry;
    private final EngineClock clock;

    /**
     * @param checkpoints the legacy checkpoint directory ({@code decoder.checkpoint})
     * @param registry the checkpoint registry ({@code decoder.registry_id}); null: none
     */
    public SessionFactory(
            ServerConfig config,
            CheckpointStore checkpoints,
            CheckpointRegistry registry,
            MeterRegistry meterRegistry,
            EngineClock clock) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.registry = registry;
        this.meterRegistry = meterRegistry;
        this.clock = clock;
    }

    /** A factory without a checkpoint registry. */
    public SessionFactory(
            ServerConfig config,
            CheckpointStore checkpoints,
            MeterRegistry meterRegistry,
            EngineClock clock) {
        this(config, checkpoints, null, meterRegistry, clock);
    }

    /** The checked decoder for a config: its spec, initial weights and checkpoint id. */
    record DecoderPlan(
            NetworkSpec spec, NetworkParams params, String checkpointId, FrontEndSpec frontEnd) {}

    DecoderPlan plan(SessionConfig c) {
        if (c.channels() < 1 || c.channels() > MAX_CHANNELS) {
            throw ServerException.invalid(
                    "spec.channel_count: must be 1.." + MAX_CHANNELS + ", got " + c.channels());
        }
        if (!(c.sampleRateHz() > 0)
                || !Double.isFinite(c.sampleRateHz())
                || c.sampleRateHz() > 100_000) {
            throw ServerException.invalid(
                    "spec.sample_rate_hz: must be in (0, 100000], got " + c.sampleRateHz());
        }
        if (c.stallAfterS() < 0 || !Double.isFinite(c.stallAfterS())) {
            throw ServerException.invalid(
                    "spec.stall_after_s: must be >= 0, got " + c.stallAfterS());
        }
        FrontEndSpec frontEnd = frontEnd(c);
        // The decoder steps once per front-end output frame and takes its features.
        int inputs = frontEnd == null ? c.channels() : frontEnd.outputChannels();
        double dtMs = 1000.0 / (frontEnd == null ? c.sampleRateHz() : frontEnd.outputRateHz());
        String inputsOrigin =
                frontEnd == null
                        ? c.channels() + " channels"
                        : "the front-end emits " + inputs + " features per step";
        if (c.decoder() instanceof DecoderSource.Architecture a) {
            if (a.hidden() < 1 || a.hidden() > MAX_HIDDEN) {
                throw ServerException.invalid(
                        "spec.decoder.architecture.hidden: must be 1.."
                                + MAX_HIDDEN
                                + ", got "
                                + a.hidden());
            }
            if (a.outputs() < 1 || a.outputs() > MAX_CHANNELS) {
                throw ServerException.invalid(
                        "spec.decoder.architecture.outputs: must be 1.."
                                + MAX_CHANNELS
                                + ", got "
                                + a.outputs());
            }
            NeuronSpec neuron =
                    a.neuron() == NeuronModel.LIF ? NeuronSpec.lif() : NeuronSpec.alif();
            try {
                NetworkSpec spec =
                        new NetworkSpec(
                                dtMs,
                                inputs,
                                null,
                                List.of(new LayerSpec(a.hidden(), true, neuron)),
                                ReadoutSpec.leaky(a.outputs()));
                return new DecoderPlan(
                        spec,
                        Initializer.initialise(spec, InitSpec.seeded(a.seed())),
                        "",
                        frontEnd);
            } catch (InvalidSpecException e) {
                throw ServerException.invalid("spec.decoder.architecture: " + e.getMessage());
            }
        }
        if (c.decoder() instanceof DecoderSource.FromRegistry r) {
            Checkpoint ck = fromRegistry(r.id());
            checkShape(c, frontEnd, inputsOrigin, inputs, dtMs, r.outputs(), ck.spec(), r.id());
            return new DecoderPlan(ck.spec(), ck.params(), ck.contentId(), frontEnd);
        }
        if (c.decoder() instanceof DecoderSource.FromCheckpoint f) {
            Checkpoint ck = checkpoints.read("spec.decoder.checkpoint", f.name(), null);
            checkShape(c, frontEnd, inputsOrigin, inputs, dtMs, f.outputs(), ck.spec(), f.name());
            return new DecoderPlan(ck.spec(), ck.params(), ck.contentId(), frontEnd);
        }
        throw ServerException.invalid(
                "spec.decoder: give an architecture, a registry_id or a checkpoint");
    }

    /**
     * Loads and verifies registry checkpoint {@code id} (checksum, content id).
     *
     * @throws ServerException NOT_FOUND (not listed), DATA_LOSS (the file fails verification),
     *     FAILED_PRECONDITION (this server has no registry)
     */
    private Checkpoint fromRegistry(String id) {
        String field = "spec.decoder.registry_id";
        if (id == null || id.isBlank()) {
            throw ServerException.invalid(field + ": a registry id (content id) is required");
        }
        if (registry == null) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    field + ": this server has no checkpoint registry");
        }
        if (registry.find(id).isEmpty()) {
            throw ServerException.notFound(
                    field + ": no checkpoint " + id + " in the registry " + registry.dir());
        }
        try {
            return registry.load(id);
        } catch (RegistryException e) {
            if (registry.find(id).isEmpty()) { // unlisted meanwhile (retention)
                throw ServerException.notFound(
                        field + ": no checkpoint " + id + " in the registry " + registry.dir());
            }
            throw new ServerException(
                    ServerException.Kind.DATA_LOSS, field + ": " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint's architecture against the session: inputs (channels or front-end features),
     * dt (sample or front-end rate) and, when asked for ({@code outputs} > 0), the readout size.
     *
     * @throws ServerException INVALID_ARGUMENT naming the mismatched field
     */
    private static void checkShape(
            SessionConfig c,
            FrontEndSpec frontEnd,
            String inputsOrigin,
            int inputs,
            double dtMs,
            int outputs,
            NetworkSpec spec,
            String name) {
        if (outputs < 0 || outputs > MAX_CHANNELS) {
            throw ServerException.invalid(
                    "spec.decoder.outputs: must be 0.." + MAX_CHANNELS + ", got " + outputs);
        }
        if (spec.inputs() != inputs) {
            throw ServerException.invalid(
                    (frontEnd == null ? "spec.channel_count: " : "spec.front_end: ")
                            + inputsOrigin
                            + ", but checkpoint '"
                            + name
                            + "' has "
                            + spec.inputs()
                            + " inputs");
        }
        if (Math.abs(spec.dtMs() - dtMs) > 1e-9 * dtMs) {
            throw ServerException.invalid(
                    (frontEnd == null ? "spec.sample_rate_hz: " : "spec.front_end: ")
                            + (frontEnd == null ? c.sampleRateHz() : frontEnd.outputRateHz())
                            + " Hz means dt = "
                            + dtMs
                            + " ms, but checkpoint '"
                            + name
                            + "' has dt = "
                            + spec.dtMs()
                            + " ms");
        }
        if (outputs != 0 && spec.outputs() != outputs) {
            throw ServerException.invalid(
                    "spec.decoder.outputs: the session expects "
                            + outputs
                            + " outputs, but checkpoint '"
                            + name
                            + "' has "
                            + spec.outputs());
        }
    }

    /**
     * One line naming a front-end's stages and rates, written into the recording's samples stream
     * header so that training jobs can tell raw samples from decoder inputs.
     */
    static String describe(FrontEndSpec f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.inputChannels()).append(" ch @ ").append(f.inputRateHz()).append(" Hz ->");
        for (StageSpec st : f.stages()) {
            sb.append(' ').append(st).append(" ->");
        }
        sb.append(' ')
                .append(f.outputChannels())
                .append(" features @ ")
                .append(f.outputRateHz())
                .append(" Hz");
        return sb.toString();
    }

    /** The session's front-end checked against its source stream, or null without one. */
    private static FrontEndSpec frontEnd(SessionConfig c) {
        if (c.frontEnd().isEmpty()) {
            return null;
        }
        FrontEndSpec f;
        try {
            f = new FrontEndSpec(c.channels(), c.sampleRateHz(), c.frontEnd());
        } catch (IllegalArgumentException e) {
            throw ServerException.invalid("spec.front_end: " + e.getMessage());
        }
        if (f.outputChannels() > MAX_CHANNELS) {
            throw ServerException.invalid(
                    "spec.front_end: emits "
                            + f.outputChannels()
                            + " features per step; the decoder takes at most "
                            + MAX_CHANNELS);
        }
        return f;
    }

    /** Builds (not starts) a session. */
    Session create(String id, SessionConfig c) {
        DecoderPlan plan = plan(c);
        double rate = c.learningRate() == 0 ? config.learningRateDefault() : c.learningRate();
        int interval =
                c.updateIntervalSteps() == 0
                        ? config.updateIntervalDefault()
                        : c.updateIntervalSteps();
        LearningBounds.check(config, rate, interval);
        double stallS = c.stallAfterS() == 0 ? config.stallAfterS() : c.stallAfterS();
        NetworkSpec spec = plan.spec();
        if (c.lslLabels() != null) {
            LslEndpoints.checkLabelSpec(c.lslLabels(), spec.outputs());
        }
        NetworkDecoder decoder = new NetworkDecoder(spec, plan.params());
        Learner learner = null;
        String noLearner = "";
        try {
            learner =
                    new EpropLearner(
                            decoder,
                            EpropConfig.builder()
                                    .learningRate(rate)
                                    .updateIntervalSteps(interval)
                                    .maxLearningRate(config.learningRateMax())
                                    .build());
        } catch (IllegalArgumentException e) {
            noLearner = "e-prop cannot learn this decoder: " + e.getMessage();
        }
        if (learner == null && c.learningEnabled()) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "spec.learning.enabled: " + noLearner);
        }
        EngineCounters counters = new EngineCounters();
        SampleRing input = new SampleRing(spec.inputs(), config.inputRingSamples());
        SampleRing labels = new SampleRing(spec.outputs(), config.inputRingSamples());
        FrameRing frames = new FrameRing(spec.outputs(), config.outputRingFrames());
        EngineAgent[] engineRef = new EngineAgent[1];
        FramePublisher[] publisherRef = new FramePublisher[1];
        SessionMeters meters =
                new SessionMeters(
                        meterRegistry,
                        id,
                        counters,
                        new SessionMeters.Views() {
                            @Override
                            public double spikeRateHz() {
                                return engineRef[0] == null ? 0 : engineRef[0].spikeRateHz();
                            }

                            @Override
                            public double weightNorm() {
                                return engineRef[0] == null ? 0 : engineRef[0].weightNormView();
                            }

                            @Override
                            public double decodeError() {
                                return engineRef[0] == null
                                        ? Double.NaN
                                        : engineRef[0].recentError();
                            }

                            @Override
                            public double watchers() {
                                return publisherRef[0] == null ? 0 : publisherRef[0].size();
                            }
                        });
        SessionRecording recording = null;
        Inlet inlet = null;
        try {
            LatencyRecorders latency =
                    new LatencyRecorders(meters.stepLatency(), meters.endToEndLatency());
            EngineAgent engine =
                    new EngineAgent(
                                    id,
                                    decoder,
                                    learner,
                                    input,
                                    labels,
                                    frames,
                                    config.commandQueueCapacity(),
                                    counters,
                                    latency,
                                    clock,
                                    (long) (stallS * TimeUnit.SECONDS.toNanos(1)),
                                    c.learningEnabled()
                                            ? LearningMode.ENABLED
                                            : LearningMode.PAUSED,
                                    rate,
                                    interval,
                                    plan.checkpointId())
                            .withoutLearnerBecause(noLearner);
            inlet =
                    c.source() == SessionConfig.SourceKind.LSL
                            ? LslEndpoints.openSampleInlet(
                                    c.lslStreamName(),
                                    c.channels(),
                                    c.sampleRateHz(),
                                    LslEndpoints.CONNECT_TIMEOUT_S)
                            : null;
            if (config.recordingEnabled()) {
                recording =
                        SessionRecording.open(
                                id,
                                SessionRecording.fileFor(config.recordingsDir(), id, Instant.now()),
                                c.channels(),
                                c.sampleRateHz(),
                                spec.outputs(),
                                1000.0 / spec.dtMs(),
                                plan.frontEnd() == null ? "" : describe(plan.frontEnd()),
                                c.source() == SessionConfig.SourceKind.LSL,
                                XdfRecorder.Config.defaults());
                meters.registerRecording(id, recording);
            }
            FrontEndFeed feed =
                    new FrontEndFeed(
                            input, plan.frontEnd() == null ? null : plan.frontEnd().build());
            LslSource lsl =
                    inlet != null
                            ? new LslSource(
                                    id,
                                    inlet,
                                    feed,
                                    clock,
                                    counters,
                                    recording == null
                                            ? null
                                            : new RowRecorder(
                                                    recording,
                                                    recording.samplesStream(),
                                                    c.channels()))
                            : null;
            FramePublisher publisher =
                    new FramePublisher(
                            id,
                            frames,
                            clock,
                            config.maxWatchersPerSession(),
                            counters.watcherFramesDropped,
                            counters.framesSent);
            engineRef[0] = engine;
            publisherRef[0] = publisher;
            Session session =
                    new Session(
                            id,
                            c,
                            spec,
                            System.currentTimeMillis(),
                            counters,
                            latency,
                            input,
                            labels,
                            engine,
                            publisher,
                            lsl,
                            meters,
                            recording,
                            recording == null
                                    ? null
                                    : new RecordingAgent(id, frames, recording, clock),
                            clock,
                            config.maxIngestSamplesPerSecond());
            if (inlet == null) {
                session.attachSampleFeed(feed); // gRPC sample streams feed the front-end in turn
            }
            attachLsl(session, id, c, spec, labels, frames, counters, meters, recording, stallS);
            return session;
        } catch (EngineRejectedException e) {
            closeRecording(recording);
            meters.close();
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "spec.learning.enabled: " + e.getMessage());
        } catch (RuntimeException e) {
            if (inlet != null) {
                inlet.close();
            }
            closeRecording(recording);
            meters.close();
            throw e;
        }
    }

    /**
     * Opens the session's optional LSL outlet and LSL label source and hands them to the session
     * (started with it). Closes what it opened if anything fails.
     */
    private void attachLsl(
            Session session,
            String id,
            SessionConfig c,
            NetworkSpec spec,
            SampleRing labels,
            FrameRing frames,
            EngineCounters counters,
            SessionMeters meters,
            SessionRecording recording,
            double stallS) {
        LslOutletAgent outletAgent = null;
        LslLabelSource labelSource = null;
        LslLabelCounters labelCounters = null;
        try {
            if (c.lslOutlet() != null) {
                outletAgent = LslOutletAgent.open(id, c.lslOutlet(), frames, 1000.0 / spec.dtMs());
                meters.addCounter(
                        "spikeloop.lsl.outlet.frames",
                        "Frames pushed to the session's LSL outlet",
                        outletAgent.pushedCounter());
                meters.addCounter(
                        "spikeloop.lsl.outlet.frames.dropped",
                        "Frames the LSL outlet agent lost because it fell a frame ring behind",
                        outletAgent.droppedCounter());
            }
            if (c.lslLabels() != null) {
                labelCounters = new LslLabelCounters();
                labelSource =
                        LslLabelSource.open(
                                id,
                                c.lslLabels(),
                                labels,
                                clock,
                                counters,
                                labelCounters,
                                recording == null
                                        ? null
                                        : new RowRecorder(
                                                recording,
                                                recording.labelsStream(),
                                                labels.width()),
                                stallS);
                meters.addCounter(
                        "spikeloop.lsl.label.stalls",
                        "Times the LSL label stream went silent (continuous) or vanished"
                                + " (markers); learning pauses until it returns",
                        labelCounters.stalls);
                meters.addCounter(
                        "spikeloop.lsl.label.non.finite",
                        "LSL labels rejected for NaN or infinite values",
                        labelCounters.rejectedNonFinite);
                meters.addCounter(
                        "spikeloop.lsl.label.out.of.order",
                        "LSL labels rejected for a time stamp older than the last accepted one",
                        labelCounters.rejectedOutOfOrder);
                meters.addCounter(
                        "spikeloop.lsl.label.unknown.cues",
                        "LSL markers whose cue is not in the session's cue table",
                        labelCounters.unknownCues);
            }
            session.attachLsl(outletAgent, labelSource, labelCounters);
        } catch (RuntimeException e) {
            if (outletAgent != null) {
                outletAgent.onClose(); // closes the outlet
            }
            throw e;
        }
    }

    private static void closeRecording(SessionRecording recording) {
        if (recording != null) {
            recording.close();
        }
    }
}
