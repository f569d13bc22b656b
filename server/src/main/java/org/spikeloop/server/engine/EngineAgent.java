package org.spikeloop.server.engine;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * The single writer of one session's decoder state, weights and learner. Each {@link #doWork}
 * cycle: drain at most {@link #MAX_COMMANDS_PER_CYCLE} control commands, read the clock once, then
 * for at most {@link #MAX_STEPS_PER_CYCLE} input samples: apply labels up to the sample's time
 * stamp, step the decoder, read the clock (the frame's decode time), publish the frame, then run
 * the learner hook (its update cannot change the frame already published; with learning on the
 * clock is read once more so the step latency includes it).
 *
 * <p>Deadline (issue 6): a step's deadline is one step period (dt) after the arrival at Spikeloop
 * of the sample it consumed; a frame published later is a deadline miss. Queueing in the input ring
 * therefore counts, not only compute.
 *
 * <p>Live edge (issue 17, {@link LiveEdge}): before stepping, a skipping engine discards the rows
 * that arrived before it started and, when it has fallen behind by more than its bound, every
 * waiting row but the newest; both are counted, and a skip restarts the learner's traces.
 *
 * <p>Threading: {@link #doWork} runs on one engine thread (an Agrona agent pool shared with other
 * sessions' engines; the session is owned by exactly that thread); the only cross-thread entries
 * are {@link #offer(EngineCommand)} (many producers, bounded queue), the input/label rings (one
 * producer each) and the volatile read-only views ({@link #status()} etc.). Allocation: none per
 * step or per idle cycle; commands may allocate.
 */
public final class EngineAgent implements Agent {
    public static final int MAX_COMMANDS_PER_CYCLE = 8;
    public static final int MAX_STEPS_PER_CYCLE = 64;

    /**
     * A label row whose first value is this (NaN) ends the label in force: the steps after it carry
     * none (frames without a label, no learning) until the next label. Ingest never lets a NaN
     * through, so only server-side label sources write it (the end of a marker trial window, a
     * stalled LSL label stream).
     */
    public static final float CLEAR_LABEL = Float.NaN;

    /** Earlier weight sets kept for roll back. */
    public static final int ROLLBACK_DEPTH = 8;

    private final String roleName;
    private final Decoder decoder;
    private final Learner learner;
    private final SampleRing input;
    private final SampleRing labels;
    private final FrameRing output;
    private final ManyToOneConcurrentArrayQueue<EngineCommand<?>> commands;
    private final Consumer<EngineCommand<?>> commandRunner = this::runCommand;
    private final EngineCounters counters;
    private final LatencyRecorders latency;
    private final EngineClock clock;
    private final long dtNs;
    private final double dtS;
    private final long stallAfterNs;
    private final int stepsPerSecond;
    private final int hiddenNeurons;

    private final float[] x;
    private final float[] y;
    private final float[] label;
    private boolean hasLabel;

    private LiveEdge liveEdge = LiveEdge.DECODE_EVERYTHING;
    private int maxBacklogRows = Integer.MAX_VALUE;
    private long startNs;
    private boolean atLiveEdge = true; // false from onStart until the first row after the start
    private long samplesSkippedSoFar; // engine thread's copy, stamped into each frame
    private Runnable afterPublishing = () -> {};
    private volatile Runnable whenFailed = () -> {}; // read only when failing

    private long lastSampleNs;
    // A stall is an input that went silent: before the first sample (an LSL source not yet
    // pushing, a gRPC client not yet connected) there is nothing that stopped.
    private boolean anySample;
    private boolean stalled;
    private boolean failed;
    // Why commands are refused: null while the engine runs them; set when it is stopped (onClose)
    // or its thread died (onThreadDeath). Texts made at construction: setting one allocates
    // nothing.
    private volatile String refusal;
    private final String stoppedRefusal;
    private final String deadThreadRefusal;
    private LearningMode mode;
    private boolean explicitlyPaused;
    private double learningRate;
    private int updateIntervalSteps;
    private double errorEma = Double.NaN;
    private long windowSteps;
    private long windowSpikes;
    private final ArrayDeque<WeightSet> rollback = new ArrayDeque<>();
    private String activeCheckpoint;
    private volatile double weightNorm;

    private String noLearnerReason = "none was given";
    private TrialWindows trials; // marker labels only; set before the engine starts
    private volatile SessionStatus status = SessionStatus.RUNNING;
    private volatile String statusReason = "";
    // A failure that must not allocate to be recorded (an OutOfMemoryError, a dead thread): the
    // role that failed and what it threw; the reason text is built by whoever reads it.
    private volatile String failedRole;
    private volatile Throwable failedCause;
    private volatile double recentError = Double.NaN;
    private volatile double spikeRateHz;

    private record WeightSet(NetworkParams params, String checkpointId) {}

    /**
     * @param sessionId names the agent thread
     * @param learner the online learner, or null (learning cannot be enabled then)
     * @param input samples, width = decoder inputs
     * @param labels labels, width = decoder outputs
     * @param output frames, outputs = decoder outputs
     * @param commandCapacity bound of the control queue
     * @param stallAfterNs no sample for this long makes the session STALLED
     * @param learning initial learning settings
     */
    public EngineAgent(
            String sessionId,
            Decoder decoder,
            Learner learner,
            SampleRing input,
            SampleRing labels,
            FrameRing output,
            int commandCapacity,
            EngineCounters counters,
            LatencyRecorders latency,
            EngineClock clock,
            long stallAfterNs,
            LearningMode initialMode,
            double learningRate,
            int updateIntervalSteps,
            String initialCheckpointId) {
        int inputs = decoder.spec().inputs();
        int outputs = decoder.spec().outputs();
        if (input.width() != inputs) {
            throw new IllegalArgumentException(
                    "input ring width " + input.width() + " != decoder inputs " + inputs);
        }
        if (labels.width() != outputs || output.outputs() != outputs) {
            throw new IllegalArgumentException("label/output ring width != decoder outputs");
        }
        if (initialMode == LearningMode.ENABLED && learner == null) {
            throw new EngineRejectedException(
                    "this session has no online learner (" + noLearnerReason + ")");
        }
        this.roleName = "spikeloop-engine-" + sessionId;
        this.stoppedRefusal = "session " + sessionId + " is stopped";
        this.deadThreadRefusal =
                "session "
                        + sessionId
                        + ": its engine thread died, so no command can run (the session is in"
                        + " ERROR; stop it)";
        this.decoder = decoder;
        this.learner = learner;
        this.input = input;
        this.labels = labels;
        this.output = output;
        this.commands = new ManyToOneConcurrentArrayQueue<>(commandCapacity);
        this.counters = counters;
        this.latency = latency;
        this.clock = clock;
        this.dtS = decoder.spec().dtMs() / 1000.0;
        this.dtNs = Math.round(decoder.spec().dtMs() * 1_000_000.0);
        this.stallAfterNs = stallAfterNs;
        this.stepsPerSecond = (int) Math.max(1, Math.round(1.0 / dtS));
        this.hiddenNeurons = decoder.hiddenNeurons();
        this.x = new float[inputs];
        this.y = new float[outputs];
        this.label = new float[outputs];
        this.mode = initialMode;
        this.learningRate = learningRate;
        this.updateIntervalSteps = updateIntervalSteps;
        // The learner arrives configured with learningRate and updateIntervalSteps.
        this.activeCheckpoint = initialCheckpointId == null ? "" : initialCheckpointId;
        this.weightNorm = weightNorm(decoder.exportParams());
        this.lastSampleNs = clock.nanoTime();
        updateStatus();
    }

    /**
     * Makes this a marker-labelled session's engine: its labels are the open trial window's class,
     * windows close by the steps' time stamps and each ends in a decision ({@link TrialWindows}).
     * Control plane, before the engine is started.
     *
     * @throws IllegalArgumentException when the windows' classes are not the decoder's outputs
     */
    public EngineAgent withTrialWindows(TrialWindows windows) {
        if (windows.classes() != y.length) {
            throw new IllegalArgumentException(
                    windows.classes() + " classes but the decoder has " + y.length + " outputs");
        }
        this.trials = windows;
        return this;
    }

    /** Why the session has no learner (shown when enabling learning is refused). */
    public EngineAgent withoutLearnerBecause(String reason) {
        this.noLearnerReason = reason;
        return this;
    }

    /**
     * The session's live-edge policy (before the engine starts; the default decodes everything).
     */
    public EngineAgent withLiveEdge(LiveEdge policy) {
        this.liveEdge = policy;
        this.maxBacklogRows =
                policy.skips()
                        ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, policy.maxLagNs() / dtNs))
                        : Integer.MAX_VALUE;
        return this;
    }

    /** The live-edge policy. */
    public LiveEdge liveEdge() {
        return liveEdge;
    }

    /**
     * Runs {@code wake} (on the engine thread, allocation-free) after each cycle that published a
     * frame: wakes the thread that delivers frames to watchers. Set before the engine starts.
     */
    public EngineAgent wakeAfterPublishing(Runnable wake) {
        this.afterPublishing = wake;
        return this;
    }

    /**
     * Runs {@code tell} when the session fails (it goes to ERROR), on the thread that failed it:
     * the engine's own, a failed agent's pool thread or the monitor's (more than once when failures
     * race, so it must be idempotent). It must allocate nothing and not block (it wakes the
     * publishers that then end the watchers' streams with the failure): the transition costs this
     * once, and no step costs anything. Set before the engine starts.
     */
    public EngineAgent whenFailed(Runnable tell) {
        this.whenFailed = tell;
        return this;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /**
     * The engine starts decoding here (its pool's thread, when the session starts): a skipping
     * engine leaves the rows that arrived before now undecoded.
     */
    @Override
    public void onStart() {
        startNs = clock.nanoTime();
        atLiveEdge = !liveEdge.skips();
    }

    /**
     * Queues a control command (any thread). Never blocks: a full queue fails the command's reply
     * at once, and so does an engine that no longer runs commands (stopped, or its thread died): no
     * command waits in a queue nobody reads.
     */
    public <T> java.util.concurrent.CompletableFuture<T> offer(EngineCommand<T> command) {
        String refused = refusal;
        if (refused != null) {
            command.reject(new EngineRejectedException(refused));
        } else if (!commands.offer(command)) {
            command.reject(
                    new EngineBusyException(
                            "the session's control queue is full ("
                                    + commands.capacity()
                                    + " commands); retry"));
        } else if (refusal != null) {
            // Stopped, or its thread died, between the check and the offer: the queue's reader
            // has gone, so the command is rejected here.
            rejectQueued();
        }
        return command.reply();
    }

    /**
     * Rejects every queued command with the {@link #refusal}. Only once the engine runs no more
     * commands (its {@link #doWork} is over for good); the lock keeps the queue single-consumer.
     */
    private void rejectQueued() {
        synchronized (commands) {
            final String why = refusal;
            commands.drain(c -> c.reject(new EngineRejectedException(why)));
        }
    }

    /**
     * The engine's pool thread died (an {@code Error} escaped the pool itself): Agrona's runner
     * ends without calling any agent's {@code onClose}, so nothing will run this engine's commands
     * again. Rejects the queued ones and, from now on, every new one at once, naming the session
     * (FAILED_PRECONDITION). Called by the pool's monitor, then the only thread that touches this
     * engine, after {@link #onAgentFailure} put the session into ERROR.
     */
    public void onThreadDeath() {
        if (refusal == null) {
            refusal = deadThreadRefusal;
        }
        rejectQueued();
    }

    @Override
    public int doWork() {
        int work = commands.drain(commandRunner, MAX_COMMANDS_PER_CYCLE);
        final long nowNs = clock.nanoTime();
        final SampleRing in = input;
        if (!failed && failedRole != null) {
            failWithoutAllocating(); // another agent of this session failed (failFromOutside)
        }
        if (failed) {
            // The decoder is stopped; keep the producer unblocked and count what is discarded.
            while (!in.isEmpty()) {
                in.advance();
                EngineCounters.increment(counters.samplesDiscardedAfterError);
                work++;
            }
            return work;
        }
        if (liveEdge.skips() && !in.isEmpty()) {
            work += skipToLiveEdge(in, nowNs);
        }
        int steps = 0;
        int published = 0;
        long previousNs = nowNs;
        while (steps < MAX_STEPS_PER_CYCLE && !in.isEmpty()) {
            final double sourceTsS = in.peekSourceTimestampS();
            final long arrivalNs = in.peekArrivalNs();
            in.readInto(x);
            in.advance();
            steps++;
            // The stall clock runs from when input last reached this engine, not from the arrival
            // a row is charged with: a backlog that a reconnected LSL inlet hands over at once is
            // charged with its old source stamps, yet it is input now, not silence.
            lastSampleNs = nowNs;
            anySample = true;
            if (stalled) {
                stalled = false;
                updateStatus();
            }
            applyLabelsUpTo(sourceTsS);
            if (trials != null) {
                boolean learning = mode == LearningMode.ENABLED;
                if (trials.advanceTo(sourceTsS, learning, nowNs) && learning && learner != null) {
                    try {
                        learner.endTrial(); // the window's update falls due at its end
                    } catch (RuntimeException e) {
                        fail("learner failed: " + e.getMessage());
                        break;
                    }
                }
                hasLabel = trials.labelInto(label);
            }
            boolean produced;
            try {
                produced = decoder.step(x, y);
            } catch (RuntimeException e) {
                fail("decoder step failed: " + e.getMessage());
                break;
            }
            if (!produced) {
                continue;
            }
            int spikes = decoder.spikeCount();
            if (trials != null) {
                trials.add(y);
            }
            if (hasLabel) {
                trackError();
            }
            trackSpikes(spikes);
            // Publish before learning: the frame's output does not depend on this step's update.
            final long decodeNs = clock.nanoTime();
            final boolean missed = decodeNs > arrivalNs + dtNs;
            output.publish(
                    y,
                    hasLabel,
                    label,
                    sourceTsS,
                    arrivalNs,
                    decodeNs,
                    spikes,
                    missed,
                    samplesSkippedSoFar);
            published++;
            // In seconds, so that no stamp can overflow a long (the input's stamps passed the
            // SourceStamps rule, but a ring may be fed by a test or a future producer without it).
            final double endToEndS = decodeNs * 1e-9 - sourceTsS;
            if (endToEndS >= 0) {
                latency.recordEndToEnd((long) (endToEndS * 1e9));
            }
            long stepDoneNs = decodeNs;
            if (learner != null && mode == LearningMode.ENABLED) {
                boolean updated;
                try {
                    updated = learner.afterStep(x, y, label, hasLabel);
                } catch (RuntimeException e) {
                    fail("learner failed: " + e.getMessage());
                    break;
                }
                if (updated) {
                    EngineCounters.increment(counters.learningUpdates);
                    weightNorm = learner.weightNorm();
                }
                long guards = learner.guardEvents();
                if (guards != counters.guardEvents.get()) {
                    counters.guardEvents.lazySet(guards);
                }
                stepDoneNs = clock.nanoTime(); // the step's cost includes learning
            }
            latency.recordStep(stepDoneNs - previousNs);
            EngineCounters.add(counters.stepNanos, stepDoneNs - previousNs);
            previousNs = stepDoneNs;
            EngineCounters.increment(counters.steps);
            if (missed) {
                EngineCounters.increment(counters.deadlineMisses);
            }
        }
        if (steps == 0 && anySample && !stalled && nowNs - lastSampleNs > stallAfterNs) {
            stalled = true;
            EngineCounters.increment(counters.stalls);
            updateStatus();
        }
        if (published > 0) {
            afterPublishing.run();
        }
        return work + steps;
    }

    /**
     * Skips what a skipping engine does not decode ({@link LiveEdge}): first the rows that arrived
     * before it started, then, when it has fallen behind, every waiting row but the newest.
     *
     * @return rows skipped
     */
    private int skipToLiveEdge(SampleRing in, long nowNs) {
        int skipped = 0;
        if (!atLiveEdge) {
            final int available = in.available();
            int before = 0;
            while (before < available && in.peekArrivalNs(before) < startNs) {
                before++;
            }
            if (before > 0) {
                in.skip(before);
                EngineCounters.add(counters.samplesSkippedAtStart, before);
                skipped += before;
            }
            atLiveEdge = before < available; // a row from after the start is waiting
        }
        final int backlog = in.available();
        if (backlog > maxBacklogRows
                && backlog > 1
                && nowNs - in.peekArrivalNs() > liveEdge.maxLagNs()) {
            final int behind = backlog - 1;
            in.skip(behind);
            EngineCounters.add(counters.samplesSkipped, behind);
            EngineCounters.increment(counters.liveEdgeSkips);
            samplesSkippedSoFar += behind;
            skipped += behind;
            if (learner != null) {
                // No e-prop update may span the gap: apply what was learned before it, restart
                // the traces from the first step after it.
                learner.resetTraces();
            }
        }
        return skipped;
    }

    @Override
    public void onClose() {
        if (refusal == null) {
            refusal = stoppedRefusal;
        }
        status = SessionStatus.STOPPED;
        rejectQueued();
    }

    private void runCommand(EngineCommand<?> command) {
        command.run(this);
    }

    private void applyLabelsUpTo(double sourceTsS) {
        final SampleRing l = labels;
        while (!l.isEmpty() && l.peekSourceTimestampS() <= sourceTsS) {
            l.readInto(label);
            l.advance();
            hasLabel = !Float.isNaN(label[0]); // CLEAR_LABEL ends the label
            if (hasLabel) {
                EngineCounters.increment(counters.labelsApplied);
            }
        }
    }

    private void trackError() {
        final float[] out = y;
        final float[] target = label;
        double sum = 0;
        for (int o = 0; o < out.length; o++) {
            double d = out[o] - target[o];
            sum += d * d;
        }
        double mse = sum / out.length;
        errorEma = Double.isNaN(errorEma) ? mse : errorEma + 0.01 * (mse - errorEma);
        recentError = errorEma;
    }

    private void trackSpikes(int spikes) {
        EngineCounters.add(counters.spikes, spikes);
        windowSpikes += spikes;
        if (++windowSteps >= stepsPerSecond) {
            spikeRateHz = windowSpikes / (hiddenNeurons * (windowSteps * dtS));
            windowSteps = 0;
            windowSpikes = 0;
        }
    }

    /**
     * Puts the engine into ERROR after its {@link #doWork} threw something it does not handle
     * itself (an {@code Error} such as an {@code OutOfMemoryError}, or a command's failure outside
     * its reply). Called by its pool on the thread that ran {@code doWork}, or, when that thread
     * has died, by the pool's monitor (then the only thread left that touches this engine). It
     * allocates nothing, so it works when the heap is exhausted: the reason text is built by
     * whoever reads {@link #statusReason()}. From then on each cycle only drains commands and
     * discards input (counted).
     */
    public void onAgentFailure(Throwable t) {
        if (!failed) {
            failedCause = t;
            failedRole = "engine";
            failWithoutAllocating();
            whenFailed.run();
        }
    }

    /**
     * Marks the session failed because another of its agents (its LSL source, frame publisher,
     * recorder or outlet) failed: any thread. The engine applies it at the start of its next cycle
     * ({@link #status()} reads ERROR at once). Allocates nothing.
     *
     * @param role the failed agent's role, e.g. {@code "frame publisher"}
     */
    public void failFromOutside(String role, Throwable cause) {
        if (failedRole == null) {
            failedCause = cause;
            failedRole = role; // volatile write last: a reader that sees the role sees the cause
            whenFailed.run();
        }
    }

    private void failWithoutAllocating() {
        failed = true;
        EngineCounters.increment(counters.stepErrors);
        statusReason = null; // built from failedRole and failedCause when read
        status = SessionStatus.ERROR;
    }

    private void fail(String reason) {
        failed = true;
        EngineCounters.increment(counters.stepErrors);
        statusReason = reason;
        status = SessionStatus.ERROR;
        whenFailed.run();
    }

    private void updateStatus() {
        if (failed) {
            return;
        }
        SessionStatus s;
        if (stalled) {
            s = SessionStatus.STALLED;
        } else if (mode == LearningMode.ENABLED) {
            s = SessionStatus.LEARNING;
        } else if (explicitlyPaused) {
            s = SessionStatus.PAUSED;
        } else {
            s = SessionStatus.RUNNING;
        }
        statusReason =
                s == SessionStatus.STALLED
                        ? "no input samples for longer than the stall limit"
                        : "";
        status = s;
    }

    // ---- read-only views (any thread) ----

    public SessionStatus status() {
        // A failure outranks STOPPED: a failed engine still says ERROR after its onClose (Session
        // says STOPPED once the session is stopped). Agrona does not close the agents of a pool
        // whose thread an Error ended (its runner skips onClose): the monitor puts them into ERROR
        // (onAgentFailure, onThreadDeath), and their onClose runs only when they are stopped.
        return failedRole != null ? SessionStatus.ERROR : status;
    }

    public String statusReason() {
        String role = failedRole;
        String reason = statusReason;
        if (role != null && (reason == null || status != SessionStatus.ERROR)) {
            return role + " failed: " + failedCause;
        }
        return reason == null ? "" : reason;
    }

    public double recentError() {
        return recentError;
    }

    public double spikeRateHz() {
        return spikeRateHz;
    }

    /** Weight norm as of the last weight change (any thread; a racy but atomic double read). */
    public double weightNormView() {
        return weightNorm;
    }

    // ---- control-plane operations: call only from an EngineCommand (engine thread) ----

    public Decoder decoder() {
        return decoder;
    }

    public boolean hasLearner() {
        return learner != null;
    }

    /** Sets the learning mode; refuses ENABLED without a learner or while FROZEN. */
    public LearningStateView setMode(LearningMode next) {
        if (next == LearningMode.ENABLED) {
            if (learner == null) {
                throw new EngineRejectedException(
                        "mode: this session has no online learner ("
                                + noLearnerReason
                                + "), so learning cannot be enabled");
            }
            if (mode == LearningMode.FROZEN) {
                throw new EngineRejectedException(
                        "mode: learning is FROZEN; set PAUSED first to unlock, then ENABLED");
            }
        }
        if (trials != null && mode == LearningMode.ENABLED && next != LearningMode.ENABLED) {
            trials.calibrate(decoder); // the calibration trials end here
        }
        mode = next;
        explicitlyPaused = next != LearningMode.ENABLED;
        updateStatus();
        return learningState();
    }

    /** Sets η and/or the update interval (bounds checked by the caller; 0 = unchanged). */
    public LearningStateView setParameters(double rate, int intervalSteps) {
        if (rate > 0) {
            learningRate = rate;
            if (learner != null) {
                learner.setLearningRate(rate);
            }
        }
        if (intervalSteps > 0) {
            updateIntervalSteps = intervalSteps;
            if (learner != null) {
                learner.setUpdateIntervalSteps(intervalSteps);
            }
        }
        return learningState();
    }

    /** The current weights (a copy). */
    public NetworkParams exportParams() {
        return decoder.exportParams();
    }

    /** Steps taken so far. */
    public long steps() {
        return counters.steps.get();
    }

    /**
     * Loads new weights, keeping the current ones for {@link #rollBack()} unless they are not valid
     * parameters (e.g. non-finite after a fault): those are dropped, never kept, and the load still
     * happens — a guard rollback needs exactly that case.
     *
     * @param checkpointId content id of the loaded checkpoint
     */
    public LearningStateView load(NetworkParams params, String checkpointId) {
        NetworkParams previous;
        try {
            previous = decoder.exportParams();
        } catch (IllegalArgumentException nonFinite) {
            previous = null; // dropped on purpose (see above); the caller audits the fault
        }
        decoder.loadParams(params); // validates first; throws without changing anything
        if (previous != null) {
            rollback.push(new WeightSet(previous, activeCheckpoint));
            while (rollback.size() > ROLLBACK_DEPTH) {
                rollback.removeLast();
            }
        }
        activeCheckpoint = checkpointId;
        afterWeightChange(params);
        return learningState();
    }

    /**
     * Names the checkpoint the live weights were just registered as (a snapshot): the active id the
     * API reports follows the registry's ACTIVE role. Weights and rollback stack unchanged.
     */
    public LearningStateView markActive(String checkpointId) {
        activeCheckpoint = checkpointId == null ? "" : checkpointId;
        return learningState();
    }

    /** Returns to the weights in use before the last load. */
    public LearningStateView rollBack() {
        WeightSet previous = rollback.peek();
        if (previous == null) {
            throw new EngineRejectedException(
                    "roll back: no earlier weights to return to (nothing was loaded yet)");
        }
        decoder.loadParams(previous.params());
        rollback.pop();
        activeCheckpoint = previous.checkpointId();
        afterWeightChange(previous.params());
        return learningState();
    }

    /** A copy of the learning state. */
    public LearningStateView learningState() {
        return new LearningStateView(
                mode,
                learningRate,
                updateIntervalSteps,
                counters.learningUpdates.get(),
                learner != null ? learner.weightNorm() : weightNorm,
                errorEma,
                learner != null ? learner.lastGuardEvent() : "",
                activeCheckpoint,
                rollback.size(),
                learner != null ? learner.name() : "",
                trials != null ? trials.calibrationStatus() : "");
    }

    private void afterWeightChange(NetworkParams params) {
        weightNorm = weightNorm(params);
        if (learner != null) {
            learner.resetTraces();
        }
        if (trials != null) {
            trials.forgetCalibration();
        }
        errorEma = Double.NaN;
        recentError = Double.NaN;
    }

    /** Frobenius norm over every weight matrix (names containing "w_" or "weight"). */
    static double weightNorm(NetworkParams params) {
        double sum = 0;
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            String name = e.getKey();
            if (name.contains("w_") || name.contains("weight")) {
                for (double v : e.getValue().data()) {
                    sum += v * v;
                }
            }
        }
        return Math.sqrt(sum);
    }
}
