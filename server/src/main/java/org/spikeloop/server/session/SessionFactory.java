package org.spikeloop.server.session;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.FloatEpropLearner;
import org.spikeloop.learn.eprop.ReadoutLoss;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.learn.trials.WindowedDecision;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.DecisionPublisher;
import org.spikeloop.server.engine.DecisionRing;
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
import org.spikeloop.server.engine.LiveEdge;
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.engine.TrialEventRing;
import org.spikeloop.server.engine.TrialWindows;
import org.spikeloop.server.io.FrontEndFeed;
import org.spikeloop.server.io.LslDecisionOutletAgent;
import org.spikeloop.server.io.LslEndpoints;
import org.spikeloop.server.io.LslLabelCounters;
import org.spikeloop.server.io.LslLabelSource;
import org.spikeloop.server.io.LslMarkerSource;
import org.spikeloop.server.io.LslOutletAgent;
import org.spikeloop.server.io.LslSource;
import org.spikeloop.server.io.SessionIo;
import org.spikeloop.server.metrics.EngineMetrics;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.metrics.IoMetrics;
import org.spikeloop.server.metrics.LatencyMetrics;
import org.spikeloop.server.metrics.RecordingMetrics;
import org.spikeloop.server.metrics.SessionMeters;
import org.spikeloop.server.metrics.SessionMetrics;
import org.spikeloop.server.metrics.TrialMetrics;
import org.spikeloop.server.recording.RecordingAgent;
import org.spikeloop.server.recording.RowRecorder;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.recording.StreamHeader;
import org.spikeloop.server.recording.TrialRecordingAgent;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.signal.FrontEndSpec;
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
import org.spikeloop.snn.spec.ReadoutType;

/**
 * Validates a {@link SessionConfig} and assembles a {@link Session}: decoder (fresh, from a
 * checkpoint registry id, or from a legacy checkpoint file name), rings, engine, publisher, meters
 * and (unless {@code recording.enabled=false}) the XDF recording {@code
 * <recordings.dir>/<session-id>-<UTC time>.xdf} with its recorder agent. Control plane; allocates.
 */
public final class SessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

    /**
     * At most this long for the warm-up's {@code session.warmupSteps} (a slow machine's first
     * session gets what fits; CreateSession waits for it).
     */
    static final long WARMUP_BUDGET_NS = 2_000_000_000L;

    /** Largest scratch copy (weights, neuron state and learner) a warm-up builds. */
    static final long WARMUP_MAX_COPY_BYTES = 64L << 20;

    /** Largest hidden layer a fresh architecture may ask for. */
    public static final int MAX_HIDDEN = 4096;

    /** Most input channels / outputs a session may have. */
    public static final int MAX_CHANNELS = 4096;

    /**
     * Slowest source a session may declare: one sample per 10 s (a decoder step of 10 s; slower is
     * no real-time decoding, and rates like 1e-300 Hz only make dt overflow).
     */
    public static final double MIN_SAMPLE_RATE_HZ = 0.1;

    /** Fastest source a session may declare. */
    public static final double MAX_SAMPLE_RATE_HZ = 100_000;

    /** Longest stall limit a session may ask for (an hour; 1e308 s means "never"). */
    public static final double MAX_STALL_AFTER_S = 3600;

    private final ServerConfig config;
    private final CheckpointStore checkpoints;
    private final CheckpointRegistry registry;
    private final SessionMetrics metrics;
    private final EngineClock clock;

    /**
     * @param checkpoints the legacy checkpoint directory ({@code decoder.checkpoint})
     * @param registry the checkpoint registry ({@code decoder.registry_id}); null: none
     * @param metrics opens each session's meters (bound to the server's registry)
     */
    public SessionFactory(
            ServerConfig config,
            CheckpointStore checkpoints,
            CheckpointRegistry registry,
            SessionMetrics metrics,
            EngineClock clock) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A factory without a checkpoint registry. */
    public SessionFactory(
            ServerConfig config,
            CheckpointStore checkpoints,
            SessionMetrics metrics,
            EngineClock clock) {
        this(config, checkpoints, null, metrics, clock);
    }

    /**
     * The checked decoder for a config: its spec, its weights (a checkpoint's, or how to initialise
     * fresh ones) and checkpoint id. Fresh weights are made by {@link #params()} only, so planning
     * a session allocates nothing in proportion to its size.
     *
     * @param loaded a checkpoint's weights, or null for fresh ones from {@code init}
     */
    record DecoderPlan(
            NetworkSpec spec,
            NetworkParams loaded,
            InitSpec init,
            String checkpointId,
            FrontEndSpec frontEnd) {
        /** The initial weights (allocates them for a fresh decoder). */
        NetworkParams params() {
            return loaded != null ? loaded : Initializer.initialise(spec, init);
        }
    }

    /** A request checked and its decoder planned, before anything large is allocated. */
    record Prepared(
            SessionConfig config, DecoderPlan plan, Settings settings, TrialProtocol protocol) {}

    DecoderPlan plan(SessionConfig c) {
        if (c.channels() < 1 || c.channels() > MAX_CHANNELS) {
            throw ServerException.invalid(
                    "spec.channel_count: must be 1.." + MAX_CHANNELS + ", got " + c.channels());
        }
        if (!(c.sampleRateHz() >= MIN_SAMPLE_RATE_HZ && c.sampleRateHz() <= MAX_SAMPLE_RATE_HZ)) {
            throw ServerException.invalid(
                    "spec.sample_rate_hz: must be in ["
                            + MIN_SAMPLE_RATE_HZ
                            + ", "
                            + MAX_SAMPLE_RATE_HZ
                            + "] Hz, got "
                            + c.sampleRateHz());
        }
        if (!(c.stallAfterS() >= 0 && c.stallAfterS() <= MAX_STALL_AFTER_S)) {
            throw ServerException.invalid(
                    "spec.stall_after_s: must be in [0, "
                            + MAX_STALL_AFTER_S
                            + "] s (0 = the server's default), got "
                            + c.stallAfterS());
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
                return new DecoderPlan(spec, null, InitSpec.seeded(a.seed()), "", frontEnd);
            } catch (InvalidSpecException e) {
                throw ServerException.invalid("spec.decoder.architecture: " + e.getMessage());
            }
        }
        if (c.decoder() instanceof DecoderSource.FromRegistry r) {
            Checkpoint ck = fromRegistry(r.id());
            checkShape(c, frontEnd, inputsOrigin, inputs, dtMs, r.outputs(), ck.spec(), r.id());
            return new DecoderPlan(ck.spec(), ck.params(), null, ck.contentId(), frontEnd);
        }
        if (c.decoder() instanceof DecoderSource.FromCheckpoint f) {
            Checkpoint ck = checkpoints.read("spec.decoder.checkpoint", f.name(), null);
            checkShape(c, frontEnd, inputsOrigin, inputs, dtMs, f.outputs(), ck.spec(), f.name());
            return new DecoderPlan(ck.spec(), ck.params(), null, ck.contentId(), frontEnd);
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

    /**
     * The session's settings with the server's defaults filled in and checked.
     *
     * @param learningRate e-prop learning rate
     * @param updateIntervalSteps steps between e-prop weight updates
     * @param stallAfterS seconds without input after which the session is STALLED
     */
    record Settings(double learningRate, int updateIntervalSteps, double stallAfterS) {
        long stallAfterNs() {
            return (long) (stallAfterS * TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** The decoder with its online learner, or without one and the reason. */
    record Decoding(NetworkDecoder decoder, Learner learner, String noLearnerReason) {}

    /** The session's rings: input and labels (engine reads), frames (engine writes). */
    record Rings(SampleRing input, SampleRing labels, FrameRing frames) {}

    /**
     * A marker-labelled session's trial parts: its protocol, the label source's event ring, the
     * engine's trial windows and the ring and publisher of their decisions.
     */
    record Trials(
            TrialProtocol protocol,
            TrialEventRing events,
            DecisionRing decisions,
            TrialWindows windows,
            DecisionPublisher publisher) {}

    /** Closed trial windows the decision ring keeps for its readers. */
    static final int DECISION_RING_WINDOWS = 64;

    /**
     * Checks a request and plans its decoder: everything that can refuse it from its spec alone,
     * and nothing that allocates in proportion to the session's size (a checkpoint source is read
     * to learn its architecture). Admission control weighs the {@link #footprint} of the result
     * before {@link #create} builds it.
     *
     * @throws ServerException naming the field
     */
    Prepared prepare(SessionConfig c) {
        DecoderPlan plan = plan(c);
        Settings settings = settings(c);
        TrialProtocol protocol = protocol(c, plan.spec().outputs()); // the spec before the policy
        if (c.lslOutlet() != null) {
            requireOutletsAllowed("spec.lsl_outlet", "the decoded outputs");
        }
        if (c.lslDecisions() != null) {
            requireOutletsAllowed("spec.lsl_decisions", "the decisions");
        }
        return new Prepared(c, plan, settings, protocol);
    }

    /**
     * Refuses an LSL outlet unless the operator allowed them ({@code lsl.outlets}).
     *
     * @throws ServerException FAILED_PRECONDITION naming the field
     */
    private void requireOutletsAllowed(String field, String what) {
        if (!config.lsl().outlets()) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    field
                            + ": this server publishes no LSL outlets (lsl.outlets = false):"
                            + " liblsl binds an outlet's data port on every network interface, so"
                            + " anyone who can reach this host could read "
                            + what
                            + "; an operator allows it with lsl.outlets=true");
        }
    }

    /** The memory and step time a prepared session is expected to need. */
    SessionFootprint footprint(Prepared p) {
        return SessionFootprint.of(
                p.plan().spec(),
                learnerStateBytes(p.plan().spec(), eprop(p.settings(), p.protocol() != null)),
                config.inputRingSamples(),
                config.outputRingFrames(),
                EngineAgent.ROLLBACK_DEPTH,
                config.admission().stepNsPerSynapse(),
                p.protocol() == null
                        ? 0
                        : TrialEventRing.bytesFor(config.inputRingSamples())
                                + DecisionRing.bytesFor(
                                        p.plan().spec().outputs(), DECISION_RING_WINDOWS));
    }

    /** Bytes of e-prop state the session's learner will hold (0 when e-prop cannot learn it). */
    private static long learnerStateBytes(NetworkSpec spec, EpropConfig eprop) {
        try {
            return FloatEpropLearner.stateBytes(spec, eprop);
        } catch (IllegalArgumentException e) {
            return 0; // no learner (decoding() says why when it is asked for)
        }
    }

    /**
     * The learner's settings: MSE on continuous labels, softmax cross-entropy on the classes of
     * marker labels (Bellec et al. 2020, classification).
     */
    private EpropConfig eprop(Settings settings, boolean classes) {
        return EpropConfig.builder()
                .loss(classes ? ReadoutLoss.SOFTMAX_CROSS_ENTROPY : ReadoutLoss.MSE)
                .learningRate(settings.learningRate())
                .updateIntervalSteps(settings.updateIntervalSteps())
                .maxLearningRate(config.learningRateMax())
                .build();
    }

    /**
     * Builds (not starts) a prepared session, in stages that each return a ready part: the decoder
     * and its learner, the rings, the meters, the engine and its publisher, then the session's I/O
     * (LSL inlet, recording, agents). A failing stage closes what the earlier ones opened. Runs on
     * the session builder's thread, never an engine thread.
     */
    Session create(String id, Prepared p, SessionFootprint footprint) {
        SessionConfig c = p.config();
        DecoderPlan plan = p.plan();
        Settings settings = p.settings();
        TrialProtocol protocol = p.protocol();
        Decoding decoding = decoding(c, plan, settings, protocol != null);
        warmUp(id, plan, decoding, settings, protocol != null, footprint);
        Rings rings = rings(plan.spec());
        Trials trials = protocol == null ? null : trials(id, protocol, plan.spec());
        EngineCounters counters = new EngineCounters();
        SessionMeters meters = metrics.open(id);
        try {
            LatencyRecorders latency = meters.bind(new LatencyMetrics(id)).recorders();
            EngineAgent engine =
                    engine(id, c, plan, settings, decoding, rings, counters, latency)
                            .withLiveEdge(liveEdge(c, plan.spec()));
            if (trials != null) {
                engine.withTrialWindows(trials.windows());
                meters.bind(new TrialMetrics(id, trials.windows()));
            }
            FramePublisher publisher =
                    new FramePublisher(
                            id,
                            rings.frames(),
                            clock,
                            config.maxWatchersPerSession(),
                            config.requests().operatorWatchSlots(),
                            counters.watcherFramesDropped,
                            counters.framesSent);
            meters.bind(new EngineMetrics(id, counters, engine, publisher));
            meters.bind(new GovernanceMetrics(id));
            return withIo(
                    id, c, plan, settings, rings, trials, counters, latency, engine, publisher,
                    meters, footprint);
        } catch (RuntimeException e) {
            meters.close();
            throw e;
        }
    }

    /**
     * The session's live-edge policy: its own request, or the server's {@code
     * session.liveEdgeMaxLagMs} (raised to two decoder steps for a decoder that steps slower than
     * that bound allows).
     *
     * @throws ServerException INVALID_ARGUMENT naming {@code spec.live_edge.max_lag_ms} for a bound
     *     below two steps or beyond what the input ring holds, or one set with decode_everything
     */
    LiveEdge liveEdge(SessionConfig c, NetworkSpec spec) {
        SessionConfig.LiveEdgeRequest r = c.liveEdge();
        String field = "spec.live_edge.max_lag_ms";
        double dtMs = spec.dtMs();
        double minMs = 2 * dtMs;
        double ringMs = config.inputRingSamples() * dtMs;
        if (r != null && r.decodeEverything()) {
            if (r.maxLagMs() != 0) {
                throw ServerException.invalid(
                        field
                                + ": a bound makes no sense with decode_everything, got "
                                + r.maxLagMs());
            }
            return LiveEdge.DECODE_EVERYTHING;
        }
        if (r == null || r.maxLagMs() == 0) {
            double ms = config.liveEdgeMaxLagMs();
            return ms == 0
                    ? LiveEdge.DECODE_EVERYTHING
                    : LiveEdge.skipBeyondMs(Math.min(Math.max(ms, minMs), ringMs));
        }
        double ms = r.maxLagMs();
        if (!Double.isFinite(ms)
                || ms < minMs
                || ms > ringMs
                || ms > ServerConfig.MAX_LIVE_EDGE_MS) {
            throw ServerException.invalid(
                    field
                            + ": must be within ["
                            + minMs
                            + ", "
                            + Math.min(ringMs, ServerConfig.MAX_LIVE_EDGE_MS)
                            + "] ms (two decoder steps of "
                            + dtMs
                            + " ms up to what the input ring of "
                            + config.inputRingSamples()
                            + " steps holds), got "
                            + ms);
        }
        return LiveEdge.skipBeyondMs(ms);
    }

    /**
     * The trial protocol of a marker label spec (checked against the decoder's outputs: one class
     * per output), or null for other labels; the label spec and a decision outlet checked.
     *
     * @throws ServerException INVALID_ARGUMENT naming the {@code spec.lsl_labels} or {@code
     *     spec.lsl_decisions} field
     */
    private static TrialProtocol protocol(SessionConfig c, int outputs) {
        if (c.lslLabels() != null) {
            LslEndpoints.checkLabelSpec(c.lslLabels(), outputs);
        }
        if (!c.markerLabels()) {
            if (c.lslDecisions() != null) {
                throw ServerException.invalid(
                        "spec.lsl_decisions: decisions need trial windows, i.e. marker labels"
                                + " (spec.lsl_labels with kind LABEL_KIND_MARKERS)");
            }
            return null;
        }
        return LslEndpoints.markerProtocol(c.lslLabels(), outputs);
    }

    /**
     * The trial parts of a marker-labelled session; its windows are decided as the decoder's
     * readout type says (leaky: the window-averaged readout; spike-count: output spike counts).
     */
    private Trials trials(String id, TrialProtocol protocol, NetworkSpec spec) {
        TrialEventRing events = new TrialEventRing(config.inputRingSamples());
        DecisionRing decisions = new DecisionRing(spec.outputs(), DECISION_RING_WINDOWS);
        return new Trials(
                protocol,
                events,
                decisions,
                new TrialWindows(
                        events,
                        decisions,
                        WindowedDecision.Aggregate.of(
                                spec.readout().type() == ReadoutType.SPIKE_COUNT)),
                new DecisionPublisher(id, decisions, config.maxWatchersPerSession()));
    }

    /** The request's learning and stall settings, server defaults for the 0s, within bounds. */
    private Settings settings(SessionConfig c) {
        double rate = c.learningRate() == 0 ? config.learningRateDefault() : c.learningRate();
        int interval =
                c.updateIntervalSteps() == 0
                        ? config.updateIntervalDefault()
                        : c.updateIntervalSteps();
        LearningBounds.check(config, rate, interval);
        return new Settings(
                rate, interval, c.stallAfterS() == 0 ? config.stallAfterS() : c.stallAfterS());
    }

    /**
     * The decoder and its e-prop learner: MSE on continuous labels, softmax cross-entropy on the
     * classes of marker labels (Bellec et al. 2020, classification). A decoder e-prop cannot learn
     * runs without one, unless the session asks for learning from the start.
     *
     * @throws ServerException FAILED_PRECONDITION when learning is asked for and impossible
     */
    private Decoding decoding(
            SessionConfig c, DecoderPlan plan, Settings settings, boolean classes) {
        NetworkDecoder decoder = new NetworkDecoder(plan.spec(), plan.params());
        try {
            return new Decoding(decoder, new EpropLearner(decoder, eprop(settings, classes)), "");
        } catch (IllegalArgumentException e) {
            String reason = "e-prop cannot learn this decoder: " + e.getMessage();
            if (c.learningEnabled()) {
                throw new ServerException(
                        ServerException.Kind.FAILED_PRECONDITION,
                        "spec.learning.enabled: " + reason);
            }
            return new Decoding(decoder, null, reason);
        }
    }

    /** Steps a scratch copy of the decoder and learner first ({@link KernelWarmup}). */
    private void warmUp(
            String id,
            DecoderPlan plan,
            Decoding decoding,
            Settings settings,
            boolean classes,
            SessionFootprint footprint) {
        if (config.warmupSteps() == 0) {
            return;
        }
        if (!warmupCopyFits(footprint)) {
            // Admission reserved the session, not a second copy of it; a network this large runs
            // long loops in every step, which the JIT compiles within its first steps anyway.
            LOG.info(
                    "session {}: no kernel warm-up: a scratch copy would hold {} MiB (more than {})",
                    id,
                    warmupCopyBytes(footprint) >> 20,
                    WARMUP_MAX_COPY_BYTES >> 20);
            return;
        }
        KernelWarmup.Result r =
                KernelWarmup.run(
                        new NetworkDecoder(plan.spec(), plan.params()),
                        decoding.learner() == null
                                ? null
                                : d -> new EpropLearner(d, eprop(settings, classes)),
                        config.warmupSteps(),
                        WARMUP_BUDGET_NS);
        LOG.info(
                "session {}: decoder kernels warmed up on a scratch copy, {} steps and {} weight"
                        + " updates in {} ms",
                id,
                r.steps(),
                r.updates(),
                r.nanos() / 1_000_000);
    }

    /** Whether a session of this footprint gets a scratch copy to warm up on. */
    static boolean warmupCopyFits(SessionFootprint footprint) {
        return warmupCopyBytes(footprint) <= WARMUP_MAX_COPY_BYTES;
    }

    private static long warmupCopyBytes(SessionFootprint footprint) {
        return footprint.weightBytes() + footprint.learnerBytes();
    }

    private Rings rings(NetworkSpec spec) {
        return new Rings(
                new SampleRing(spec.inputs(), config.inputRingSamples()),
                new SampleRing(spec.outputs(), config.inputRingSamples()),
                new FrameRing(spec.outputs(), config.outputRingFrames()));
    }

    /**
     * The session's engine agent over its rings.
     *
     * @throws ServerException FAILED_PRECONDITION when the engine refuses the learning mode
     */
    private EngineAgent engine(
            String id,
            SessionConfig c,
            DecoderPlan plan,
            Settings settings,
            Decoding decoding,
            Rings rings,
            EngineCounters counters,
            LatencyRecorders latency) {
        try {
            return new EngineAgent(
                            id,
                            decoding.decoder(),
                            decoding.learner(),
                            rings.input(),
                            rings.labels(),
                            rings.frames(),
                            config.commandQueueCapacity(),
                            counters,
                            latency,
                            clock,
                            settings.stallAfterNs(),
                            c.learningEnabled() ? LearningMode.ENABLED : LearningMode.PAUSED,
                            settings.learningRate(),
                            settings.updateIntervalSteps(),
                            plan.checkpointId())
                    .withoutLearnerBecause(decoding.noLearnerReason());
        } catch (EngineRejectedException e) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "spec.learning.enabled: " + e.getMessage());
        }
    }

    /**
     * The session around its engine: the LSL sample and label inlets (before anything is written,
     * so a missing stream leaves no recording behind), the recording and its recorder agents, the
     * I/O agents. Closes what it opened if a later part fails.
     */
    private Session withIo(
            String id,
            SessionConfig c,
            DecoderPlan plan,
            Settings settings,
            Rings rings,
            Trials trials,
            EngineCounters counters,
            LatencyRecorders latency,
            EngineAgent engine,
            FramePublisher publisher,
            SessionMeters meters,
            SessionFootprint footprint) {
        NetworkSpec spec = plan.spec();
        Inlet inlet =
                c.source() == SessionConfig.SourceKind.LSL
                        ? LslEndpoints.openSampleInlet(
                                c.lslStreamName(),
                                c.channels(),
                                c.sampleRateHz(),
                                LslEndpoints.CONNECT_TIMEOUT_S)
                        : null;
        Inlet labelInlet = null;
        SessionRecording recording = null;
        LslOutletAgent outlet = null;
        LslLabelSource lslLabels = null;
        LslMarkerSource lslMarkers = null;
        LslDecisionOutletAgent decisionOutlet = null;
        try {
            labelInlet =
                    c.lslLabels() == null
                            ? null
                            : LslEndpoints.openLabelInlet(
                                    c.lslLabels(), spec.outputs(), LslEndpoints.CONNECT_TIMEOUT_S);
            recording =
                    config.recordingEnabled()
                            ? recording(id, c, plan, trials, inlet, labelInlet, meters)
                            : null;
            FrontEndFeed feed =
                    new FrontEndFeed(
                            rings.input(),
                            plan.frontEnd() == null ? null : plan.frontEnd().build());
            LslSource lslSamples =
                    inlet == null
                            ? null
                            : new LslSource(
                                    id,
                                    inlet,
                                    feed,
                                    c.sampleRateHz(),
                                    clock,
                                    counters,
                                    recorder(recording, true, c.channels()));
            outlet = c.lslOutlet() == null ? null : outlet(id, c, spec, rings);
            if (labelInlet != null) {
                LslLabelCounters labelCounters = new LslLabelCounters();
                Inlet owned = labelInlet;
                labelInlet = null; // the source owns it now (and closes it on failure)
                if (trials != null) {
                    lslMarkers =
                            LslMarkerSource.start(
                                    id,
                                    trials.protocol(),
                                    owned,
                                    trials.events(),
                                    clock,
                                    counters,
                                    labelCounters,
                                    recording,
                                    settings.stallAfterS());
                } else {
                    lslLabels =
                            LslLabelSource.start(
                                    id,
                                    owned,
                                    rings.labels(),
                                    clock,
                                    counters,
                                    labelCounters,
                                    recorder(recording, false, rings.labels().width()),
                                    settings.stallAfterS());
                }
            }
            decisionOutlet = c.lslDecisions() == null ? null : decisionOutlet(id, c, trials);
            SessionIo io =
                    new SessionIo(
                            inlet == null ? feed : null,
                            lslSamples,
                            outlet,
                            lslLabels,
                            lslMarkers,
                            decisionOutlet);
            meters.bind(new IoMetrics(id, counters, io));
            return new Session(
                    id,
                    c,
                    spec,
                    System.currentTimeMillis(),
                    counters,
                    latency,
                    rings.labels(),
                    engine,
                    publisher,
                    io,
                    meters,
                    recording,
                    recording == null
                            ? null
                            : new RecordingAgent(id, rings.frames(), recording, clock),
                    trials,
                    recording == null || trials == null
                            ? null
                            : new TrialRecordingAgent(
                                    id,
                                    trials.decisions(),
                                    recording,
                                    trials.protocol().classNames()),
                    clock,
                    new Session.IngestLimits(
                            config.maxIngestSamplesPerSecond(),
                            config.requests().maxIngestBytesPerSecond()),
                    footprint,
                    config.commandTimeoutMs());
        } catch (RuntimeException e) {
            if (outlet != null) {
                outlet.onClose(); // nothing to push yet: closes the outlet
            }
            if (decisionOutlet != null) {
                decisionOutlet.onClose();
            }
            if (lslLabels != null) {
                lslLabels.onClose();
            }
            if (lslMarkers != null) {
                lslMarkers.onClose();
            }
            if (labelInlet != null) {
                labelInlet.close();
            }
            if (inlet != null) {
                inlet.close();
            }
            if (labelInlet != null) {
                labelInlet.close();
            }
            if (recording != null) {
                recording.close();
            }
            throw e;
        }
    }

    /**
     * Opens the session's XDF recording {@code <recordings.dir>/<session-id>-<UTC time>.xdf} and
     * registers its meters. Streams from LSL sources keep their source's full header, as
     * LabRecorder records them (read from the open inlets): the samples, continuous labels (which
     * also name the outputs they are targets of), and a marker-labelled session's marker stream.
     */
    private SessionRecording recording(
            String id,
            SessionConfig c,
            DecoderPlan plan,
            Trials trials,
            Inlet inlet,
            Inlet labelInlet,
            SessionMeters meters) {
        NetworkSpec spec = plan.spec();
        StreamHeader samples =
                inlet != null
                        ? StreamHeader.copyOf(fullInfo(inlet))
                        : StreamHeader.local(
                                SessionRecording.SAMPLES,
                                "Samples",
                                c.channels(),
                                c.sampleRateHz(),
                                id + "." + SessionRecording.SAMPLES);
        String frontEnd = plan.frontEnd() == null ? "" : FrontEndJson.write(plan.frontEnd());
        double outputRateHz = 1000.0 / spec.dtMs();
        SessionRecording.Headers headers;
        if (trials != null) {
            List<String> classes = trials.protocol().classNames();
            headers =
                    SessionRecording.markerHeaders(
                            id,
                            samples,
                            fullInfo(labelInlet),
                            classes.size() == spec.outputs()
                                    ? classes
                                    : SessionRecording.outputNames(spec.outputs()),
                            frontEnd,
                            outputRateHz);
        } else {
            StreamInfo labelSource = labelInlet == null ? null : fullInfo(labelInlet);
            headers =
                    SessionRecording.headers(
                            id,
                            samples,
                            labelSource == null ? null : StreamHeader.copyOf(labelSource),
                            frontEnd,
                            outputNames(spec.outputs(), labelSource),
                            outputRateHz);
        }
        SessionRecording recording =
                SessionRecording.open(
                        id,
                        SessionRecording.fileFor(config.recordingsDir(), id, Instant.now()),
                        headers,
                        c.source() == SessionConfig.SourceKind.LSL,
                        XdfRecorder.Config.defaults());
        meters.bind(new RecordingMetrics(id, recording));
        return recording;
    }

    /**
     * One name per decoder output for the recording's labels and outputs streams: the channel
     * labels of a continuous LSL label source (its targets are the outputs'), else {@code
     * output0..}.
     *
     * @param labelSource a continuous label source's header, or null
     */
    static List<String> outputNames(int outputs, StreamInfo labelSource) {
        if (labelSource != null && labelSource.channelLabels().size() == outputs) {
            return labelSource.channelLabels();
        }
        return SessionRecording.outputNames(outputs);
    }

    /**
     * The stream's full header (with its {@code desc}), or the short one resolved at creation when
     * the source does not answer in time: the recording keeps what the source says about itself.
     */
    private static StreamInfo fullInfo(Inlet inlet) {
        try {
            return inlet.fullInfo(LslEndpoints.CONNECT_TIMEOUT_S);
        } catch (RuntimeException e) {
            LOG.warn(
                    "the full header of LSL stream '{}' did not arrive ({}); recording its short"
                            + " header",
                    inlet.info().name(),
                    e.toString());
            return inlet.info();
        }
    }

    /** A recorder of the recording's samples or labels stream, or null without a recording. */
    private static RowRecorder recorder(SessionRecording recording, boolean samples, int width) {
        if (recording == null) {
            return null;
        }
        return new RowRecorder(
                recording, samples ? recording.samplesStream() : recording.labelsStream(), width);
    }

    /** The session's LSL outlet agent. */
    private static LslOutletAgent outlet(
            String id, SessionConfig c, NetworkSpec spec, Rings rings) {
        return LslOutletAgent.open(id, c.lslOutlet(), rings.frames(), 1000.0 / spec.dtMs());
    }

    /** The session's LSL outlet of per-trial decisions. */
    private static LslDecisionOutletAgent decisionOutlet(
            String id, SessionConfig c, Trials trials) {
        return LslDecisionOutletAgent.open(
                id, c.lslDecisions(), trials.decisions(), trials.protocol().classNames());
    }
}
