package org.spikeloop.app.bench;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.EegMontage;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.proto.v1.BaselineScore;
import org.spikeloop.proto.v1.ClassificationScore;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LearningMode;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.LearningState;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.SetLearningModeRequest;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;

/**
 * The classification half of {@code spikeloop bench decode}, measured through the product's public
 * paths as a user would run a motor-imagery calibration: the server started on loopback, simulated
 * cue-based motor-imagery EEG ({@code spikeloop sim eeg}'s generator on the Graz montage the
 * example job config is for) and its cue markers published over LSL ({@link MotorImageryReplay}), a
 * session created over gRPC from the shipped session spec (a fresh network, e-prop learning from
 * the markers with the server's default rate and interval, the front-end of the shipped job config)
 * that the server records, and then a classification job through JobService on that recording with
 * the shipped job config. The first half of the trials calibrates, the last half is held out:
 *
 * <ul>
 *   <li>{@code eprop}: the session learns online over the calibration trials; before the first
 *       held-out cue, learning is switched to PAUSED ({@code SetLearningMode}, which calibrates the
 *       class bias on the trials decided so far) and the held-out trials are decoded without
 *       learning; scored from the session's own decisions ({@code WatchDecisions}, {@link
 *       HeldOutDecisions});
 *   <li>{@code job} and {@code csp_lda}: the job (validation fraction 0.5: trained on the first
 *       half of the recording's trials, scored on the last half) and the CSP+LDA baseline the job
 *       fits on the same split, both as JobService reports them ({@code JobInfo.classification}).
 * </ul>
 *
 * <p>Control plane; runs on the caller's thread and allocates freely.
 */
final class MotorImageryDecodeBench {
    /** The Graz montage of the example configs: 4 channels around the hand areas. */
    static final List<String> MONTAGE = List.of("C3", "Cz", "C4", "FCz");

    static final double RATE_HZ = 256;
    static final String CSP_LDA = "csp_lda";
    private static final double HELD_OUT_FRACTION = 0.5;
    private static final double LEAD_BEFORE_CUE_S = 2.0;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(120);

    /**
     * @param seed the simulator's seed (the session's network keeps the spec's seed)
     * @param trials cue trials in the recording (the last half held out), even, &ge; 12
     * @param erdFraction the simulator's event-related desynchronisation (its difficulty)
     * @param speed pace of the stream relative to real time
     * @param jobConfig the job config file
     * @param sessionSpec the session spec file (a {@code CreateSessionRequest} in JSON)
     * @param workDir where the server's files go, or null for a temporary directory removed after
     */
    record Settings(
            long seed,
            int trials,
            double erdFraction,
            double speed,
            Path jobConfig,
            Path sessionSpec,
            Path workDir) {}

    /**
     * @param eprop the session's held-out decisions
     * @param calibration the session's class-bias calibration when learning stopped
     * @param calibrationTrials trials decided while learning was on
     * @param session the session's statistics when it stopped
     * @param job the job as JobService reports it
     * @param report the job's report JSON
     * @param streamWallS wall time of the stream
     * @param jobWallS wall time of the job
     */
    record Outcome(
            HeldOutDecisions eprop,
            String calibration,
            int calibrationTrials,
            SessionStatistics session,
            JobInfo job,
            JsonObject report,
            double streamWallS,
            double jobWallS) {

        ClassificationScore jobScore() {
            return job.getClassification();
        }

        /** The job's CSP+LDA baseline, if it was fitted (not skipped). */
        Optional<BaselineScore> cspLda() {
            return jobScore().getBaselinesList().stream()
                    .filter(b -> b.getName().equals(CSP_LDA) && !b.getSkipped())
                    .findFirst();
        }

        /** Held-out accuracy of the job's CSP+LDA baseline (NaN if it was skipped). */
        double cspLdaAccuracy() {
            return cspLda().map(BaselineScore::getAccuracy).orElse(Double.NaN);
        }

        /** [class] held-out trials the job decided as each class. */
        int[] jobDecided() {
            return decidedPerClass(jobScore().getConfusionList(), jobScore().getClassesCount());
        }

        /** [class] held-out trials CSP+LDA decided as each class; empty if it was skipped. */
        int[] cspLdaDecided() {
            int k = jobScore().getClassesCount();
            return cspLda().map(b -> decidedPerClass(b.getConfusionList(), k)).orElse(new int[0]);
        }

        /**
         * The column sums of a row-major [cue class][decided class] confusion matrix, as JobService
         * reports one for the job and for each baseline.
         */
        private static int[] decidedPerClass(List<Integer> confusion, int classes) {
            int[] d = new int[classes];
            for (int i = 0; i < confusion.size(); i++) {
                d[i % classes] += confusion.get(i);
            }
            return d;
        }
    }

    /**
     * Bounds of {@code --mi-trials}: the job holds out half of the trials and refuses fewer than 3
     * training trials per class, so fewer than 12 trials (6 training trials) cannot work; 400
     * trials are about 53 minutes of EEG (8 s a trial).
     */
    static final int MIN_TRIALS = 12;

    static final int MAX_TRIALS = 400;

    private final Settings settings;

    /**
     * Checks the simulated task's flags, which {@code bench decode} and {@code bench robustness}
     * share: {@code --mi-trials} (even, within [{@value #MIN_TRIALS}, {@value #MAX_TRIALS}]) and
     * {@code --mi-erd} (within [0, 1)).
     *
     * @throws IllegalArgumentException naming the flag that is out of range
     */
    static void checkTask(int trials, double erdFraction) {
        if (trials < MIN_TRIALS || trials % 2 != 0 || trials > MAX_TRIALS) {
            throw new IllegalArgumentException(
                    "need an even --mi-trials within ["
                            + MIN_TRIALS
                            + ", "
                            + MAX_TRIALS
                            + "], got "
                            + trials);
        }
        if (!(erdFraction >= 0 && erdFraction < 1)) {
            throw new IllegalArgumentException("need --mi-erd within [0, 1), got " + erdFraction);
        }
    }

    MotorImageryDecodeBench(Settings settings) {
        this.settings = settings;
    }

    /** The simulator's settings: the Graz montage at 256 Hz, two classes, the given difficulty. */
    static EegConfig simulation(long seed, double erdFraction) {
        return EegConfig.builder()
                .montage(EegMontage.of(MONTAGE.toArray(String[]::new)))
                .sampleRateHz(RATE_HZ)
                .classes(2)
                .erdFraction(erdFraction)
                .seed(seed)
                .build();
    }

    /**
     * The session spec file with the replay's stream names and a stall limit for the pause.
     *
     * @throws IllegalArgumentException naming the file if it is not a {@code CreateSessionRequest}
     *     in JSON, or its session does not fit the simulated EEG (channels, rate, marker labels)
     */
    static CreateSessionRequest sessionRequest(Path specFile, String eegStream, String markerStream)
            throws java.io.IOException {
        CreateSessionRequest.Builder b = CreateSessionRequest.newBuilder();
        try {
            JsonFormat.parser().merge(Files.readString(specFile), b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "--mi-session-spec "
                            + specFile
                            + ": not a CreateSessionRequest in JSON: "
                            + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        SessionSpec spec = b.getSpec();
        if (spec.getChannelCount() != MONTAGE.size()
                || spec.getSampleRateHz() != RATE_HZ
                || spec.getLslLabels().getKind() != LabelKind.LABEL_KIND_MARKERS) {
            throw new IllegalArgumentException(
                    "--mi-session-spec "
                            + specFile
                            + ": the simulated EEG has "
                            + MONTAGE.size()
                            + " channels at "
                            + RATE_HZ
                            + " Hz and cue markers; the spec has channel_count "
                            + spec.getChannelCount()
                            + ", sample_rate_hz "
                            + spec.getSampleRateHz()
                            + ", lsl_labels.kind "
                            + spec.getLslLabels().getKind());
        }
        b.getSpecBuilder().setName("bench decode: motor-imagery session");
        b.getSpecBuilder().getSourceBuilder().setLslStreamName(eegStream);
        b.getSpecBuilder().getLslLabelsBuilder().setName(markerStream);
        // The stream is held while learning is switched off: no stall for that pause.
        b.getSpecBuilder().setStallAfterS(60);
        return b.build();
    }

    Outcome run(PrintWriter log) throws Exception {
        return DecodeBenchServer.run(
                settings.workDir(),
                "spikeloop-bench-mi",
                (app, channel) -> measure(app, channel, log));
    }

    private Outcome measure(SpikeloopApplication app, ManagedChannel channel, PrintWriter log)
            throws Exception {
        Settings s = settings;
        SimulatedMotorImagery data =
                SimulatedMotorImagery.generate(simulation(s.seed(), s.erdFraction()), s.trials());
        int calibrationTrials = (int) Math.round(s.trials() * (1 - HELD_OUT_FRACTION));
        String prefix = "spikeloop-bench-mi-" + ProcessHandle.current().pid();
        var sessions = SessionServiceGrpc.newBlockingStub(channel);
        var learning = LearningServiceGrpc.newBlockingStub(channel);
        List<TrialDecision> decisions = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> watchFailure = new AtomicReference<>();
        Session session;
        String markerStream;
        SessionStatistics stats;
        LearningState paused;
        long t0 = System.nanoTime();
        // Every stamp in the past, as a replayed file's: the session places windows by stamps.
        double originS = Lsl.localClockS() - data.durationS() - 60;
        try (MotorImageryReplay replay =
                new MotorImageryReplay(data, prefix, MONTAGE, originS, s.speed())) {
            session =
                    sessions.createSession(
                            sessionRequest(
                                    s.sessionSpec(),
                                    replay.eegInfo().name(),
                                    replay.markerInfo().name()));
            markerStream = replay.markerInfo().name();
            SessionId id = SessionId.newBuilder().setSessionId(session.getId()).build();
            DecodeServiceGrpc.newStub(channel)
                    .watchDecisions(
                            WatchDecisionsRequest.newBuilder()
                                    .setSessionId(session.getId())
                                    .build(),
                            new StreamObserver<>() {
                                @Override
                                public void onNext(TrialDecision d) {
                                    decisions.add(d);
                                }

                                @Override
                                public void onError(Throwable t) {
                                    watchFailure.compareAndSet(null, t);
                                }

                                @Override
                                public void onCompleted() {}
                            });
            log.printf(
                    Locale.ROOT,
                    "bench decode: motor imagery: session %s decodes '%s' with cues from '%s',"
                            + " e-prop on; %d trials (%.0f s of EEG, ERD %.0f %%) at %sx real time%n",
                    session.getId(),
                    replay.eegInfo().name(),
                    replay.markerInfo().name(),
                    s.trials(),
                    data.durationS(),
                    100 * s.erdFraction(),
                    java.math.BigDecimal.valueOf(s.speed()).stripTrailingZeros().toPlainString());
            log.flush();
            await("the session's inlets", replay::haveConsumers);
            int split =
                    data.cueAt()[calibrationTrials]
                            - (int) Math.round(LEAD_BEFORE_CUE_S * data.sampleRateHz());
            replay.publish(0, split);
            await(
                    "the calibration trials decided",
                    () -> sessions.getSession(id).getTrials().getDecisions() >= calibrationTrials);
            paused =
                    learning.setLearningMode(
                            SetLearningModeRequest.newBuilder()
                                    .setSessionId(session.getId())
                                    .setMode(LearningMode.LEARNING_MODE_PAUSED)
                                    .build());
            log.println("bench decode: motor imagery: learning paused; " + paused.getCalibration());
            log.flush();
            replay.publish(split, data.sampleCount());
            await(
                    "every trial decided",
                    () -> sessions.getSession(id).getTrials().getDecisions() >= s.trials());
            await("every decision watched", () -> decisions.size() >= s.trials());
            stats = DecodeServiceGrpc.newBlockingStub(channel).getStatistics(id);
            sessions.stopSession(id); // completes the recording
        }
        if (watchFailure.get() != null) {
            throw new IllegalStateException(
                    "WatchDecisions failed: " + watchFailure.get(), watchFailure.get());
        }
        double streamWallS = (System.nanoTime() - t0) / 1e9;
        HeldOutDecisions eprop = HeldOutDecisions.of(decisions, calibrationTrials, 2);
        Path recording = DecodeBenchServer.recordingOf(app, session.getId());
        log.printf(
                Locale.ROOT,
                "bench decode: motor imagery: streamed in %.1f s; e-prop session %d/%d held-out"
                        + " trials right; recording %s%n",
                streamWallS,
                eprop.correct(),
                eprop.trials(),
                recording.getFileName());
        log.flush();

        long j0 = System.nanoTime();
        JobInfo job = runJob(channel, recording.getFileName().toString(), markerStream, log);
        double jobWallS = (System.nanoTime() - j0) / 1e9;
        JsonObject report = DecodeBenchServer.reportOf(app, job);
        return new Outcome(
                eprop,
                paused.getCalibration(),
                calibrationTrials,
                stats,
                job,
                report,
                streamWallS,
                jobWallS);
    }

    private JobInfo runJob(
            ManagedChannel channel, String recording, String markerStream, PrintWriter log)
            throws Exception {
        return JobRun.run(
                JobServiceGrpc.newBlockingStub(channel),
                SubmitJobRequest.newBuilder()
                        .addRecordings(recording)
                        .setInputsStream(org.spikeloop.server.recording.SessionRecording.SAMPLES)
                        .setLabelsStream(markerStream)
                        .setConfigJson(Files.readString(settings.jobConfig()))
                        .setValidationFraction(HELD_OUT_FRACTION)
                        .build(),
                settings.jobConfig().toString(),
                "bench decode: motor imagery: ",
                "accuracy",
                p -> p.getValidationAccuracy(),
                log);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT_NS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("motor imagery: gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
