package org.spikeloop.server.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.spikeloop.server.io.IngestBudget;
import org.spikeloop.server.io.IngestGate;
import org.spikeloop.server.io.LslDecisionOutletAgent;
import org.spikeloop.server.io.LslDecisionOutletView;
import org.spikeloop.server.io.LslLabelCounters;
import org.spikeloop.server.io.LslLabelView;
import org.spikeloop.server.io.LslOutletAgent;
import org.spikeloop.server.io.LslOutletView;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.io.SessionIo;
import org.spikeloop.server.io.SourceStamps;
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
    private final IngestBudget sampleBudget;
    private final IngestBudget labelBudget;
    private final SessionFootprint footprint;
    private final long commandTimeoutMs; // engine.commandTimeoutMs
    private final AtomicBoolean sampleStream = new AtomicBoolean();
    private final AtomicBoolean labelStream = new AtomicBoolean();
    // The stamp rule of each gRPC input stream, kept across reconnects so that the recording and
    // the engine never see a stream go back in time; used by the one open stream (the claim flags
    // above hand it from one stream's thread to the next with a happens-before edge).
    private final SourceStamps sampleStamps;
    private final SourceStamps labelStamps = new SourceStamps(0);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long startNs;
    private volatile AgentPool engines; // read by ingest threads (wakeEngine)
    private AgentPool publishers;
    private AgentPool sources;
    private AgentPool delivery;

    /** The ingest streams' check before each chunk ({@link #requireLive}); made once. */
    private final IngestGate ingestGate = this::requireLive;

    /** Wakes the engine's thread after an ingest chunk handed rows on; made once, allocates not. */
    private final Runnable wakeEngine =
            () -> {
                AgentPool pool = engines;
                if (pool != null) {
                    pool.wake();
                }
            };

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
            IngestLimits ingestLimits,
            SessionFootprint footprint,
            long commandTimeoutMs) {
        this.id = id;
        this.config = config;
        this.sampleStamps = new SourceStamps(config.sampleRateHz());
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
        // One budget per ring for the session's whole life: a new stream does not refill it.
        this.sampleBudget = ingestLimits.budget(id, clock.nanoTime());
        this.labelBudget = ingestLimits.budget(id, clock.nanoTime());
        this.footprint = footprint;
        this.commandTimeoutMs = commandTimeoutMs;
        this.startNs = clock.nanoTime();
    }

    /**
     * Adds the LSL source (if any) to {@code sources}, the engine to {@code engines} (the one
     * thread that owns this session's decoder from now on), the watchers' publisher to {@code
     * delivery}, then the recorder, the LSL outlet and the decision publishers and recorders to
     * {@code publishers}, then the label sources to {@code sources}. When sources, engine and
     * publishers are one pool (co-located) this order makes one cycle of that thread pull a sample,
     * step it, publish its frame and hand it to the recording and the outlet; after a cycle that
     * published, the engine wakes the delivery thread if the session has watchers. (Decisions, one
     * per trial, are sent to their watchers from the publishers' pool.) When any of them throws out
     * of its cycle (an {@code OutOfMemoryError} included) or its thread dies, the session goes to
     * ERROR with the reason (never RUNNING while nothing decodes, records or publishes), its watch
     * streams end with that reason and its ingest streams are refused; the other sessions on its
     * thread keep running.
     */
    void start(AgentPool engines, AgentPool publishers, AgentPool sources, AgentPool delivery) {
        this.engines = engines;
        this.publishers = publishers;
        this.sources = sources;
        this.delivery = delivery;
        if (io.lslSamples() != null) {
            sources.add(io.lslSamples(), failure("LSL sample source"), false);
        }
        FramePublisher watchers = publisher;
        engine.wakeAfterPublishing(
                () -> {
                    if (watchers.size() > 0) {
                        delivery.wake();
                    }
                });
        publisher.wakeWith(delivery::wake);
        publisher.failureReason(this::inError);
        if (decisions != null) {
            decisions.wakeWith(publishers::wake);
            decisions.failureReason(this::inError);
        }
        // A failure ends the watchers' streams with it: the publishers do it on their threads.
        FramePublisher frames = publisher;
        DecisionPublisher trialDecisions = decisions;
        engine.whenFailed(
                trialDecisions == null
                        ? frames::sessionFailed
                        : () -> {
                            frames.sessionFailed();
                            trialDecisions.sessionFailed();
                        });
        engines.add(
                engine,
                t -> {
                    engine.onAgentFailure(t);
                    if (engines.isDead()) {
                        // The monitor's call: the thread is gone, and Agrona did not close the
                        // engine, so its queued and later commands are rejected here.
                        engine.onThreadDeath();
                    }
                });
        // A publisher that failed itself, or whose thread died, is not called again: its hook
        // (then the only code that touches it) ends its watchers' streams at once.
        delivery.add(publisher, failure("frame publisher", publisher::failSinks), false);
        if (recorder != null) {
            publishers.add(recorder, failure("recording agent"), false);
        }
        if (io.lslOutlet() != null) {
            publishers.add(io.lslOutlet(), failure("LSL outlet"), false);
        }
        if (decisions != null) {
            publishers.add(decisions, failure("decision publisher", decisions::failSinks), false);
        }
        if (trialRecorder != null) {
            publishers.add(trialRecorder, failure("trial recording agent"), false);
        }
        if (io.lslDecisions() != null) {
            publishers.add(io.lslDecisions(), failure("LSL decision outlet"), false);
        }
        if (io.lslLabels() != null) {
            sources.add(io.lslLabels(), failure("LSL label source"), false);
        }
        if (io.lslMarkers() != null) {
            sources.add(io.lslMarkers(), failure("LSL marker source"), false);
        }
    }

    /**
     * The failure hook of one of the session's agents besides the engine: the session goes to ERROR
     * naming it. Allocates nothing when called (the lambda is made here, once).
     */
    private java.util.function.Consumer<Throwable> failure(String role) {
        return t -> engine.failFromOutside(role, t);
    }

    /**
     * As {@link #failure(String)}, then {@code endStreams}, which may allocate (after the state is
     * right; what it throws the pool counts).
     */
    private java.util.function.Consumer<Throwable> failure(String role, Runnable endStreams) {
        return t -> {
            engine.failFromOutside(role, t);
            endStreams.run();
        };
    }

    /**
     * A session's ingest limits, per ring.
     *
     * @param rowsPerSecond {@code limits.maxIngestSamplesPerSecond}
     * @param bytesPerSecond {@code limits.maxIngestBytesPerSecond}
     */
    record IngestLimits(double rowsPerSecond, double bytesPerSecond) {
        IngestBudget budget(String sessionId, long nowNs) {
            return new IngestBudget(sessionId, rowsPerSecond, bytesPerSecond, nowNs);
        }
    }

    /** What the session was expected to cost when it was admitted. */
    SessionFootprint footprint() {
        return footprint;
    }

    /**
     * The engine time one step of this session takes: its measured mean once it has stepped {@link
     * #MEASURED_AFTER_STEPS} times, else the admission estimate.
     */
    double demandNs() {
        long steps = counters.steps.get();
        if (steps < MEASURED_AFTER_STEPS) {
            return footprint.stepNs();
        }
        return (double) counters.stepNanos.get() / steps;
    }

    /** Steps after which {@link #demandNs} is the measured mean rather than the estimate. */
    static final long MEASURED_AFTER_STEPS = 1_000;

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
            if (delivery != null) {
                delivery.remove(publisher); // completes every watcher stream
            }
            if (publishers != null) {
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

    /**
     * Runs {@code work} on the engine thread; the future completes there (continue async). It fails
     * FAILED_PRECONDITION at once when the session is stopped or its engine thread died, and
     * UNAVAILABLE when the engine has not answered within {@code engine.commandTimeoutMs} (a
     * command it had not taken by then never runs): no caller waits without bound.
     */
    public <T> CompletableFuture<T> command(Function<EngineAgent, T> work) {
        if (stopped.get()) {
            return CompletableFuture.failedFuture(
                    new ServerException(
                            ServerException.Kind.FAILED_PRECONDITION,
                            "session " + id + " is stopped"));
        }
        EngineCommand<T> command = EngineCommand.of(work);
        CompletableFuture<T> reply = engine.offer(command);
        if (!reply.isDone()) {
            java.util.concurrent.ScheduledFuture<?> timeout =
                    COMMAND_TIMEOUTS.schedule(
                            () -> expire(command), commandTimeoutMs, TimeUnit.MILLISECONDS);
            // Runs where the reply completes, the engine thread too: cancelling is a CAS (the
            // timer does not remove cancelled tasks, so it takes no lock).
            reply.whenComplete((v, e) -> timeout.cancel(false));
        }
        return reply;
    }

    private void expire(EngineCommand<?> command) {
        command.expire(
                new ServerException(
                        ServerException.Kind.UNAVAILABLE,
                        "session "
                                + id
                                + ": its engine did not take the command within "
                                + commandTimeoutMs
                                + " ms (engine.commandTimeoutMs), so it was not run; the engine"
                                + " thread is overloaded or stuck (GetSession says whether the"
                                + " session is in ERROR)"),
                new ServerException(
                        ServerException.Kind.UNAVAILABLE,
                        "session "
                                + id
                                + ": its engine took the command but did not answer within "
                                + commandTimeoutMs
                                + " ms (engine.commandTimeoutMs); it may still take effect"));
    }

    /**
     * Fails the control commands that wait too long for their engine ({@link #command}): one daemon
     * thread for every session; a cancelled timeout stays queued until its time and is dropped.
     */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor COMMAND_TIMEOUTS =
            commandTimeouts();

    private static java.util.concurrent.ScheduledThreadPoolExecutor commandTimeouts() {
        java.util.concurrent.ScheduledThreadPoolExecutor timer =
                new java.util.concurrent.ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "spikeloop-command-timeouts");
                            t.setDaemon(true);
                            return t;
                        });
        timer.setRemoveOnCancelPolicy(false);
        return timer;
    }

    /**
     * Opens the session's sample stream; each of its chunks is refused once the session is stopped
     * or in ERROR ({@link #requireLive}).
     *
     * @throws ServerException FAILED_PRECONDITION if one is open, or the session is stopped or in
     *     ERROR
     */
    public SampleIngest openSampleStream() {
        requireLive();
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
                sampleBudget,
                clock,
                counters.samplesIn,
                counters.samplesDropped,
                counters.samplesNonFinite,
                sampleStamps,
                counters.samplesTimestampsRepaired,
                sampleStream,
                recording == null
                        ? null
                        : new RowRecorder(recording, recording.samplesStream(), config.channels()),
                wakeEngine,
                ingestGate);
    }

    /**
     * Opens the session's label stream; each of its chunks is refused once the session is stopped
     * or in ERROR ({@link #requireLive}).
     *
     * @throws ServerException FAILED_PRECONDITION if one is open, or the session is stopped or in
     *     ERROR
     */
    public SampleIngest openLabelStream() {
        requireLive();
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
                labelBudget,
                clock,
                counters.labelsIn,
                counters.labelsDropped,
                counters.samplesNonFinite,
                labelStamps,
                counters.labelsTimestampsRepaired,
                labelStream,
                recording == null
                        ? null
                        : new RowRecorder(recording, recording.labelsStream(), labels.width()),
                wakeEngine,
                ingestGate);
    }

    /**
     * Subscribes an operator's watcher (see {@link #addWatcher(FrameSink, double, int, boolean)}).
     */
    public void addWatcher(FrameSink sink, double maxRateHz, int limit) {
        addWatcher(sink, maxRateHz, limit, true);
    }

    /**
     * Subscribes a watcher whose frames are flushed at the end of each delivery pass (see {@link
     * #addWatcher(FrameSink, double, long, int, boolean)}).
     */
    public void addWatcher(FrameSink sink, double maxRateHz, int limit, boolean operator) {
        addWatcher(sink, maxRateHz, 0, limit, operator);
    }

    /**
     * Subscribes a watcher.
     *
     * @param maxRateHz at most this many frames per second (0 = every frame)
     * @param batchIntervalMs 0: the sink is flushed at the end of each delivery pass; 1 to {@link
     *     FramePublisher#MAX_BATCH_INTERVAL_MS}: at most once every this many ms, or when it holds
     *     a full message (WatchRequest.batch_interval_ms; a long, so that a uint32 beyond
     *     Integer.MAX_VALUE is named as sent)
     * @param limit {@code limits.maxWatchersPerSession}, for the refusal's message
     * @param operator whether the caller is an operator: viewers may not take the {@code
     *     limits.operatorWatchSlots} slots kept for operators
     * @throws ServerException INVALID_ARGUMENT for a rate that is not finite and >= 0 or a batch
     *     interval outside [0, {@link FramePublisher#MAX_BATCH_INTERVAL_MS}], RESOURCE_EXHAUSTED at
     *     the watcher limit (for a viewer: at the viewers' share of it), FAILED_PRECONDITION when
     *     the session is stopped or in ERROR (naming the failure). A watcher of a session that
     *     fails later is ended with the failure ({@link FrameSink#fail})
     */
    public void addWatcher(
            FrameSink sink, double maxRateHz, long batchIntervalMs, int limit, boolean operator) {
        if (!Double.isFinite(maxRateHz) || maxRateHz < 0) {
            throw ServerException.invalid(
                    "max_rate_hz: must be a finite value >= 0, got " + maxRateHz);
        }
        if (batchIntervalMs < 0 || batchIntervalMs > FramePublisher.MAX_BATCH_INTERVAL_MS) {
            throw ServerException.invalid(
                    "batch_interval_ms: must be within [0, "
                            + FramePublisher.MAX_BATCH_INTERVAL_MS
                            + "], got "
                            + batchIntervalMs);
        }
        requireLive();
        if (!publisher.add(sink, maxRateHz, (int) batchIntervalMs, operator)) {
            requireLive(); // refused because the session failed or stopped meanwhile
            if (!operator && publisher.size() < limit) {
                throw new ServerException(
                        ServerException.Kind.RESOURCE_EXHAUSTED,
                        "session "
                                + id
                                + ": viewers hold every Watch slot they may take; the other "
                                + (limit - publisher.size())
                                + " of limits.maxWatchersPerSession = "
                                + limit
                                + " are kept for operators (limits.operatorWatchSlots)");
            }
            throw new ServerException(
                    ServerException.Kind.RESOURCE_EXHAUSTED,
                    "session " + id + " has reached limits.maxWatchersPerSession = " + limit);
        }
    }

    /**
     * Subscribes a decision watcher (marker-labelled sessions).
     *
     * @throws ServerException FAILED_PRECONDITION when the session is stopped or in ERROR or its
     *     labels are not markers, RESOURCE_EXHAUSTED at the watcher limit
     */
    public void addDecisionWatcher(DecisionSink sink, int limit) {
        requireLive();
        if (decisions == null) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "session "
                            + id
                            + " has no trial windows to decide: its labels are not cue markers"
                            + " (spec.lsl_labels.kind = LABEL_KIND_MARKERS)");
        }
        if (!decisions.add(sink)) {
            requireLive();
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
                seconds > 0 ? steps / seconds : 0,
                counters.samplesTimestampsRepaired.get(),
                counters.labelsTimestampsRepaired.get(),
                counters.samplesSkipped.get(),
                counters.liveEdgeSkips.get(),
                counters.samplesSkippedAtStart.get());
    }

    /**
     * Refuses what a session that no longer decodes cannot take (ingest chunks, new watchers): one
     * that is stopped or stopping, or in ERROR. Admitting allocates nothing (two volatile reads):
     * ingest calls it once per chunk.
     *
     * @throws ServerException FAILED_PRECONDITION naming the session and its state (for ERROR with
     *     the reason)
     */
    private void requireLive() {
        if (stopped.get()) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION, "session " + id + " is stopped");
        }
        if (engine.status() == SessionStatus.ERROR) {
            throw new ServerException(ServerException.Kind.FAILED_PRECONDITION, inError());
        }
    }

    /** {@code session <id> is in ERROR: <reason>}: what a refused or ended stream is told. */
    String inError() {
        return "session " + id + " is in ERROR: " + engine.statusReason();
    }
}
