package org.spikeloop.server.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.engine.DecisionPublisher;
import org.spikeloop.server.engine.DecisionSink;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCommand;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.FramePublisher;
import org.spikeloop.server.engine.FrameSink;
import org.spikeloop.server.engine.LatencyRecorders;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.engine.TrialWindows;
import org.spikeloop.server.io.FrontEndFeed;
import org.spikeloop.server.io.LslDecisionOutletAgent;
import org.spikeloop.server.io.LslDecisionOutletView;
import org.spikeloop.server.io.LslLabelCounters;
import org.spikeloop.server.io.LslLabelView;
import org.spikeloop.server.io.LslOutletAgent;
import org.spikeloop.server.io.LslOutletView;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.io.SessionIo;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.metrics.SessionMeters;
import org.spikeloop.server.recording.RecordingAgent;
import org.spikeloop.server.recording.RowRecorder;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.recording.TrialRecordingAgent;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * One running session: its engine agent (single writer of the decoder), its frame publisher, the
 * rings between them, its I/O agents and ingest streams ({@link SessionIo}), its recording and its
 * meters. Built by {@link SessionFactory}; owned by {@link SessionManager}.
 *
 * <p>Threading: the public methods are control-plane calls, safe from any thread; data reaches the
 * engine only through the rings and {@link #command}.
 */
public final class Session {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Session.class);

    private final String id;
    private final SessionConfig config;
    private final NetworkSpec spec;
    private final long createdUnixMs;
    private final EngineCounters counters;
    private final LatencyRecorders latency;
    private final SampleRing labels;
    private final EngineAgent engine;
    private final FramePublisher publisher;
    private final SessionIo io;
    private final SessionMeters meters;
    private final SessionRecording recording; // null when recording is off
    private final RecordingAgent recorder; // null when recording is off
    private final TrialWindows trials; // null unless the labels are markers
    private final DecisionPublisher decisions; // null unless the labels are markers
    private final List<String> classNames; // empty unless the labels are markers
    private final TrialRecordingAgent trialRecorder; // null without markers or recording
    private final EngineClock clock;
    private final double maxIngestPerSecond;
    private final AtomicBoolean sampleStream = new AtomicBoolean();
    private final AtomicBoolean labelStream = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long startNs;
    private AgentPool engines;
    private AgentPool publishers;
    private AgentPool sources;

    Session(
            String id,
            SessionConfig config,
            NetworkSpec spec,
            long createdUnixMs,
            EngineCounters counters,
            LatencyRecorders latency,
            SampleRing labels,
            EngineAgent engine,
            FramePublisher publisher,
            SessionIo io,
            SessionMeters meters,
            SessionRecording recording,
            RecordingAgent recorder,
            SessionFactory.Trials trialParts,
            TrialRecordingAgent trialRecorder,
            EngineClock clock,
            double maxIngestPerSecond) {
        this.id = id;
        this.config = config;
        this.spec = spec;
        this.createdUnixMs = createdUnixMs;
        this.counters = counters;
        this.latency = latency;
        this.labels = labels;
        this.engine = engine;
        this.publisher = publisher;
        this.io = io;
        this.meters = meters;
        this.recording = recording;
        this.recorder = recorder;
        this.trials = trialParts == null ? null : trialParts.windows();
        this.decisions = trialParts == null ? null : trialParts.publisher();
        this.classNames = trialParts == null ? List.of() : trialParts.protocol().classNames();
        this.trialRecorder = trialRecorder;
        this.clock = clock;
        this.maxIngestPerSecond = maxIngestPerSecond;
        this.startNs = clock.nanoTime();
    }

    /**
     * Adds the LSL source (if any) to {@code sources}, the engine to {@code engines} (the one
     * thread that owns this session's decoder from now on), then the publishers and the recorders
     * (frames, then decisions) to {@code publishers}, then the label source to {@code sources}.
     * When they are one pool (co-located) this order makes one cycle of that thread pull a sample,
     * step it and publish its frame. An engine whose cycle throws goes to ERROR with the reason;
     * the other sessions on its thread keep running.
     */
    void start(AgentPool engines, AgentPool publishers, AgentPool sources) {
        this.engines = engines;
        this.publishers = publishers;
        this.sources = sources;
        if (io.lslSamples() != null) {
            sources.add(io.lslSamples());
        }
        engines.add(engine, engine::onAgentFailure);
        publishers.add(publisher);
        if (recorder != null) {
            publishers.add(recorder);
        }
        if (io.lslOutlet() != null) {
            publishers.add(io.lslOutlet());
        }
        if (decisions != null) {
            publishers.add(decisions);
        }
        if (trialRecorder != null) {
            publishers.add(trialRecorder);
        }
        if (io.lslDecisions() != null) {
            publishers.add(io.lslDecisions());
        }
        if (io.lslLabels() != null) {
            sources.add(io.lslLabels());
        }
        if (io.lslMarkers() != null) {
            sources.add(io.lslMarkers());
        }
    }

    /** The engine pool this session's engine runs on (null before start). */
    AgentPool enginePool() {
        return engines;
    }

    /**
     * Stops the LSL source (if any), the engine, then the publisher (which completes every watcher
     * stream) and the recorder (which records the last frames), and closes the recording file.
     * Idempotent.
     */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            if (io.lslLabels() != null && sources != null) {
                sources.remove(io.lslLabels()); // the label ring's producer
            }
            if (io.lslMarkers() != null && sources != null) {
                sources.remove(io.lslMarkers()); // the trial event ring's producer
            }
            if (io.lslSamples() != null && sources != null) {
                sources.remove(io.lslSamples()); // the producer first, then its consumer
            }
            if (engines != null) {
                engines.remove(engine); // onClose on the engine thread: no step after this
            }
            if (publishers != null) {
                publishers.remove(publisher);
                if (recorder != null) {
                    publishers.remove(recorder);
                }
                if (io.lslOutlet() != null) {
                    publishers.remove(io.lslOutlet()); // pushes the last frames, closes the outlet
                }
                if (decisions != null) {
                    publishers.remove(decisions); // sends the last decisions, completes watchers
                }
                if (trialRecorder != null) {
                    publishers.remove(trialRecorder); // records the last windows
                }
                if (io.lslDecisions() != null) {
                    publishers.remove(io.lslDecisions()); // pushes the last, closes the outlet
                }
            }
        } finally {
            try {
                if (recording != null) {
                    recording.close(); // a sample stream still open only offers into a closed queue
                }
                if (trialRecorder != null && trialRecorder.windowsLost() > 0) {
                    LOG.warn(
                            "session {}: the recording lost {} trial windows (recorder fell behind)",
                            id,
                            trialRecorder.windowsLost());
                }
                if (recorder != null && recorder.framesLost() > 0) {
                    LOG.warn(
                            "session {}: the recording lost {} frames (recorder fell behind)",
                            id,
                            recorder.framesLost());
                }
            } finally {
                meters.close();
            }
        }
    }

    public String id() {
        return id;
    }

    public SessionConfig config() {
        return config;
    }

    /** The decoder architecture (inputs = channels, outputs = label width). */
    public NetworkSpec spec() {
        return spec;
    }

    public long createdUnixMs() {
        return createdUnixMs;
    }

    public boolean isStopped() {
        return stopped.get();
    }

    public SessionStatus status() {
        return stopped.get() ? SessionStatus.STOPPED : engine.status();
    }

    public String statusReason() {
        return engine.statusReason();
    }

    public long steps() {
        return counters.steps.get();
    }

    /** The session's XDF recording, or null when recording is off. */
    public SessionRecording recording() {
        return recording;
    }

    /** The session's governance meters (registered at creation, removed at stop). */
    public GovernanceMetrics governanceMeters() {
        return meters.binder(GovernanceMetrics.class);
    }

    public int watchers() {
        return publisher.size();
    }

    /** Runs {@code work} on the engine thread; the future completes there (continue async). */
    public <T> CompletableFuture<T> command(Function<EngineAgent, T> work) {
        if (stopped.get()) {
            return CompletableFuture.failedFuture(
                    new ServerException(
                            ServerException.Kind.FAILED_PRECONDITION,
                            "session " + id + " is stopped"));
        }
        return engine.offer(EngineCommand.of(work));
    }

    /**
     * Opens the session's sample stream. @throws ServerException FAILED_PRECONDITION if one is open
     */
    public SampleIngest openSampleStream() {
        requireRunning();
        if (config.source() != SessionConfig.SourceKind.GRPC) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "session "
                            + id
                            + " takes its samples from "
                            + config.source()
                            + ", not gRPC ingest");
        }
        if (!sampleStream.compareAndSet(false, true)) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "session "
                            + id
                            + " already has an open sample stream (one producer per session)");
        }
        return new SampleIngest(
                "sample",
                "channel_count",
                io.grpcSamples(),
                config.sampleRateHz(),
                maxIngestPerSecond,
                clock,
                counters.samplesIn,
                counters.samplesDropped,
                counters.samplesNonFinite,
                sampleStream,
                recording == null
                        ? null
                        : new RowRecorder(recording, recording.samplesStream(), config.channels()));
    }

    /**
     * Opens the session's label stream. @throws ServerException FAILED_PRECONDITION if one is open
     */
    public SampleIngest openLabelStream() {
        requireRunning();
        if (io.labelCounters() != null) { // continuous labels or cue markers from LSL
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "session " + id + " takes its labels from an LSL stream, not gRPC ingest");
        }
        if (!labelStream.compareAndSet(false, true)) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "session "
                            + id
                            + " already has an open label stream (one producer per session)");
        }
        return new SampleIngest(
                "label",
                "label_dim",
                new FrontEndFeed(labels, null),
                0,
                maxIngestPerSecond,
                clock,
                counters.labelsIn,
                counters.labelsDropped,
                counters.samplesNonFinite,
                labelStream,
                recording == null
                        ? null
                        : new RowRecorder(recording, recording.labelsStream(), labels.width()));
    }

    /**
     * Subscribes a watcher.
     *
     * @param maxRateHz at most this many frames per second (0 = every frame)
     * @throws ServerException INVALID_ARGUMENT for a rate that is not finite and >= 0,
     *     RESOURCE_EXHAUSTED at the watcher limit
     */
    public void addWatcher(FrameSink sink, double maxRateHz, int limit) {
        if (!Double.isFinite(maxRateHz) || maxRateHz < 0) {
            throw ServerException.invalid(
                    "max_rate_hz: must be a finite value >= 0, got " + maxRateHz);
        }
        requireRunning();
        if (!publisher.add(sink, maxRateHz)) {
            throw new ServerException(
                    ServerException.Kind.RESOURCE_EXHAUSTED,
                    "session " + id + " has reached limits.maxWatchersPerSession = " + limit);
        }
    }

    /**
     * Subscribes a decision watcher (marker-labelled sessions).
     *
     * @throws ServerException FAILED_PRECONDITION when the session's labels are not markers,
     *     RESOURCE_EXHAUSTED at the watcher limit
     */
    public void addDecisionWatcher(DecisionSink sink, int limit) {
        requireRunning();
        if (decisions == null) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "session "
                            + id
                            + " has no trial windows to decide: its labels are not cue markers"
                            + " (spec.lsl_labels.kind = LABEL_KIND_MARKERS)");
        }
        if (!decisions.add(sink)) {
            throw new ServerException(
                    ServerException.Kind.RESOURCE_EXHAUSTED,
                    "session "
                            + id
                            + " has reached limits.maxWatchersPerSession = "
                            + limit
                            + " decision watchers");
        }
    }

    /** The classes by index (the decoder's outputs) of a marker-labelled session; else empty. */
    public List<String> classNames() {
        return classNames;
    }

    /** The trial windows' counts and calibration, or null unless the labels are markers. */
    public TrialView trialView() {
        return trials == null
                ? null
                : new TrialView(
                        trials.windows(),
                        trials.decisions(),
                        trials.inTrial(),
                        trials.calibrationTrials(),
                        trials.calibrationStatus());
    }

    /** The LSL decision outlet's counts, or null without one. */
    public LslDecisionOutletView lslDecisionsView() {
        LslDecisionOutletAgent o = io.lslDecisions();
        return o == null ? null : o.view();
    }

    /** The LSL outlet's counts, or null without an outlet. */
    public LslOutletView lslOutletView() {
        LslOutletAgent o = io.lslOutlet();
        return o == null ? null : o.view();
    }

    /** The LSL label source's state and counts, or null when labels come from gRPC. */
    public LslLabelView lslLabelView() {
        LslLabelCounters l = io.labelCounters();
        return l == null
                ? null
                : l.view(
                        counters.labelsIn.get(),
                        counters.labelsDropped.get(),
                        trials != null && trials.inTrial());
    }

    /** Counters and latency histograms. */
    public SessionStatistics statistics() {
        double seconds = (clock.nanoTime() - startNs) * 1e-9;
        long steps = counters.steps.get();
        return new SessionStatistics(
                steps,
                counters.samplesIn.get(),
                counters.samplesDropped.get(),
                counters.samplesNonFinite.get(),
                counters.deadlineMisses.get(),
                counters.stalls.get(),
                counters.learningUpdates.get(),
                counters.guardEvents.get(),
                counters.watcherFramesDropped.get(),
                latency.stepSnapshot(),
                latency.endToEndSnapshot(),
                engine.spikeRateHz(),
                engine.recentError(),
                seconds > 0 ? steps / seconds : 0);
    }

    private void requireRunning() {
        if (stopped.get()) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION, "session " + id + " is stopped");
        }
    }
}
