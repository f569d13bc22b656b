package org.spikeloop.app.bench;

import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalDrift;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.app.demo.ReferenceCheckpoint;
import org.spikeloop.app.demo.RigPublisher;
import org.spikeloop.learn.jobs.RegressionScore;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.LiveEdgeSpec;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.OutputScore;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.server.session.CheckpointStore;

/**
 * The regression half of {@code spikeloop bench decode}, measured through the product's public
 * paths, as a user would: the server started on loopback (ports 0, a scratch directory), a
 * demo-like simulated rig (96 units at 1 kHz, the demo's seed and calibration block, a rotation of
 * the preferred directions in the middle) published over LSL by the demo's {@link RigPublisher},
 * paced up {@code speed} times; a demo-style session created over gRPC (the demo's
 * least-squares-calibrated reference checkpoint, e-prop on with the demo's settings, kinematics
 * labels over LSL throughout) that the server records; then a training job on that recording
 * through JobService ({@code SubmitJob}, {@code WatchJob}) with the shipped job config. Scores, all
 * on the job's held-out part (the last 25 % of the recording):
 *
 * <ul>
 *   <li>{@code job}, {@code kalman}, {@code wiener}: R² per output as JobService reports them (the
 *       baselines fitted on the job's training part, docs/jobs.md);
 *   <li>{@code live}: the session's own decoded outputs against the labels it learned from, over
 *       the same frames, read back from its recording ({@link RecordedDecoding}) and scored as the
 *       job scores ({@link RegressionScore});
 *   <li>the live decoder's R² around the drift ({@link DriftScores}, on 50-ms bin means).
 * </ul>
 *
 * <p>Control plane; runs on the caller's thread and allocates freely.
 */
final class RegressionDecodeBench {
    static final int UNITS = 96;
    static final double RATE_HZ = 1000.0;
    static final double VALIDATION_FRACTION = 0.25;
    static final int FRAMES_PER_BIN = 50;
    static final double BIN_S = FRAMES_PER_BIN / RATE_HZ;
    private static final int CHUNK_SAMPLES = 10;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long PROGRESS_EVERY_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * @param seed the rig's and the reference decoder's seed (the demo's default is 1)
     * @param durationS simulated seconds recorded
     * @param driftAtS simulated second of the rotation
     * @param rotationDeg rotation of every preferred direction
     * @param speed pace of the rig relative to real time
     * @param neurons hidden LIF neurons of the reference decoder
     * @param calibrationS seconds of calibration data for the reference readout
     * @param learningRate the session's e-prop learning rate
     * @param updateIntervalSteps steps between its e-prop updates
     * @param jobConfig the job config file (its text goes to SubmitJob.config_json)
     * @param windowS window of the drift scores
     * @param workDir where the server's files go, or null for a temporary directory removed after
     */
    record Settings(
            long seed,
            double durationS,
            double driftAtS,
            double rotationDeg,
            double speed,
            int neurons,
            double calibrationS,
            double learningRate,
            int updateIntervalSteps,
            Path jobConfig,
            double windowS,
            Path workDir) {}

    /** One output's held-out R²: the job's, its baselines' and the live session's. */
    record OutputScores(String name, double job, double kalman, double wiener, double live) {}

    /**
     * @param outputs per output, in the labels stream's order
     * @param labelledFrames frames of the recording with a label (what the job reads)
     * @param heldOutFrames frames of the job's held-out part
     * @param heldOutFromS simulated second where the held-out part starts
     * @param liveFrames recorded frames scored for the live decoder (the same stamps)
     * @param job the job as JobService reports it at the end
     * @param report the job's report JSON
     * @param liveDrift the live decoder around the drift
     * @param session the session's statistics when it stopped
     * @param labelsIn labels its LSL label source handed to the engine
     * @param published samples the rig published
     * @param streamWallS wall time of the stream
     * @param jobWallS wall time of the job, submission to the end
     */
    record Outcome(
            List<OutputScores> outputs,
            int labelledFrames,
            int heldOutFrames,
            double heldOutFromS,
            int liveFrames,
            JobInfo job,
            JsonObject report,
            DriftScores liveDrift,
            SessionStatistics session,
            long labelsIn,
            long published,
            double streamWallS,
            double jobWallS) {

        double mean(java.util.function.ToDoubleFunction<OutputScores> which) {
            return outputs.stream().mapToDouble(which).average().orElse(Double.NaN);
        }
    }

    private final Settings settings;

    RegressionDecodeBench(Settings settings) {
        this.settings = settings;
    }

    Outcome run(PrintWriter log) throws Exception {
        return DecodeBenchServer.run(
                settings.workDir(),
                "spikeloop-bench-decode",
                (app, channel) -> measure(app, channel, log));
    }

    private Outcome measure(SpikeloopApplication app, ManagedChannel channel, PrintWriter log)
            throws Exception {
        Settings s = settings;
        String jobConfig = Files.readString(s.jobConfig());
        ReferenceCheckpoint.Result ref =
                ReferenceCheckpoint.loadOrCalibrate(
                        new CheckpointStore(app.config().checkpointDir()),
                        UNITS,
                        s.neurons(),
                        s.seed(),
                        s.calibrationS());
        log.printf(
                Locale.ROOT,
                "bench decode: reference checkpoint %s (least-squares readout on %.0f s, %.1f s)%n",
                ref.name(),
                s.calibrationS(),
                ref.seconds());
        IntracorticalRig rig =
                ReferenceCheckpoint.rigAfterCalibration(UNITS, s.seed(), s.calibrationS());
        String pid = Long.toString(ProcessHandle.current().pid());
        var sessions = SessionServiceGrpc.newBlockingStub(channel);
        Session session;
        SessionStatistics stats;
        long labelsIn;
        long published;
        long t0 = System.nanoTime();
        try (RigPublisher rigOut =
                new RigPublisher(
                        rig,
                        new DriftSchedule<>(
                                List.of(
                                        new IntracorticalDrift.Rotation(
                                                s.driftAtS(), s.rotationDeg()))),
                        "spikeloop-bench-" + pid,
                        pid,
                        CHUNK_SAMPLES,
                        RATE_HZ,
                        Math.round(s.durationS() * RATE_HZ),
                        s.speed())) {
            session = sessions.createSession(sessionRequest(ref.name(), rigOut));
            log.printf(
                    Locale.ROOT,
                    "bench decode: session %s decodes '%s' with labels from '%s', e-prop on;"
                            + " %.0f s of the rig at %sx real time, rotation %.0f° at %.0f s%n",
                    session.getId(),
                    rigOut.spikesInfo().name(),
                    rigOut.kinematicsInfo().name(),
                    s.durationS(),
                    java.math.BigDecimal.valueOf(s.speed()).stripTrailingZeros().toPlainString(),
                    s.rotationDeg(),
                    s.driftAtS());
            log.flush();
            SessionId id = SessionId.newBuilder().setSessionId(session.getId()).build();
            var decode = DecodeServiceGrpc.newBlockingStub(channel);
            rigOut.start();
            long nextLog = System.nanoTime() + PROGRESS_EVERY_NS;
            while (!rigOut.isFinished()) {
                Thread.sleep(100);
                if (System.nanoTime() >= nextLog) {
                    nextLog += PROGRESS_EVERY_NS;
                    SessionStatistics st = decode.getStatistics(id);
                    log.printf(
                            Locale.ROOT,
                            "bench decode: %5.1f of %.0f s streamed; session: %d steps, %d learning"
                                    + " updates, %d samples dropped%n",
                            rigOut.samplesPublished() / RATE_HZ,
                            s.durationS(),
                            st.getSteps(),
                            st.getLearningUpdates(),
                            st.getSamplesDropped());
                    log.flush();
                }
            }
            published = rigOut.samplesPublished();
            labelsIn = awaitDrained(sessions, decode, id, published);
            stats = decode.getStatistics(id);
            sessions.stopSession(id); // completes the recording
        }
        double streamWallS = (System.nanoTime() - t0) / 1e9;
        Path recording = DecodeBenchServer.recordingOf(app, session.getId());
        log.printf(
                Locale.ROOT,
                "bench decode: streamed in %.1f s; %d steps, %d dropped, %d deadline misses;"
                        + " recording %s%n",
                streamWallS,
                stats.getSteps(),
                stats.getSamplesDropped(),
                stats.getDeadlineMisses(),
                recording.getFileName());
        log.flush();

        long j0 = System.nanoTime();
        JobInfo job = runJob(channel, recording.getFileName().toString(), jobConfig, log);
        double jobWallS = (System.nanoTime() - j0) / 1e9;
        JsonObject report = DecodeBenchServer.reportOf(app, job);
        JsonObject data = report.getAsJsonObject("data");
        double heldOutFromStamp = data.get("heldOutFromS").getAsDouble();
        int heldOutFrames = data.get("heldOutFrames").getAsInt();
        int labelledFrames = data.get("trainingFrames").getAsInt() + heldOutFrames;

        RecordedDecoding live = RecordedDecoding.read(recording);
        int from = live.firstAtOrAfter(heldOutFromStamp);
        RegressionScore liveScore = live.scoreFrom(from);
        List<OutputScores> outputs = new ArrayList<>();
        for (int k = 0; k < job.getScoresCount(); k++) {
            OutputScore o = job.getScores(k);
            outputs.add(
                    new OutputScores(
                            o.getOutput(),
                            o.getR2(),
                            o.getKalmanR2(),
                            o.getWienerR2(),
                            liveScore.r2()[k]));
        }
        double[][][] bins = live.bins(FRAMES_PER_BIN);
        DriftScores drift =
                DriftScores.of(
                        bins[0],
                        bins[1],
                        BIN_S,
                        (int) Math.round(s.driftAtS() / BIN_S),
                        s.windowS());
        return new Outcome(
                outputs,
                labelledFrames,
                heldOutFrames,
                from / RATE_HZ,
                live.frames() - from,
                job,
                report,
                drift,
                stats,
                labelsIn,
                published,
                streamWallS,
                jobWallS);
    }

    private CreateSessionRequest sessionRequest(String checkpoint, RigPublisher rig) {
        Settings s = settings;
        return CreateSessionRequest.newBuilder()
                .setSpec(
                        SessionSpec.newBuilder()
                                .setName("bench decode: demo-style session")
                                .setChannelCount(UNITS)
                                .setSampleRateHz(RATE_HZ)
                                // Paced up: the figures are over every sample, so the session
                                // decodes them all rather than skipping to the live edge.
                                .setLiveEdge(LiveEdgeSpec.newBuilder().setDecodeEverything(true))
                                .setDecoder(DecoderSpec.newBuilder().setCheckpoint(checkpoint))
                                .setLearning(
                                        LearningSettings.newBuilder()
                                                .setEnabled(true)
                                                .setLearningRate(s.learningRate())
                                                .setUpdateIntervalSteps(s.updateIntervalSteps()))
                                .setSource(
                                        SourceSpec.newBuilder()
                                                .setKind(SourceKind.SOURCE_LSL)
                                                .setLslStreamName(rig.spikesInfo().name()))
                                .setLslLabels(
                                        LslLabelSpec.newBuilder()
                                                .setName(rig.kinematicsInfo().name())
                                                .setType(rig.kinematicsInfo().type())
                                                .setKind(LabelKind.LABEL_KIND_CONTINUOUS)
                                                .setSampleRateHz(RATE_HZ)))
                .build();
    }

    /**
     * Waits (bounded) until the session has taken every published sample and label.
     *
     * @return the labels its LSL label source handed on
     */
    private static long awaitDrained(
            SessionServiceGrpc.SessionServiceBlockingStub sessions,
            DecodeServiceGrpc.DecodeServiceBlockingStub decode,
            SessionId id,
            long published)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (true) {
            SessionStatistics st = decode.getStatistics(id);
            Session s = sessions.getSession(id);
            long labels = s.getLslLabels().getLabelsIn() + s.getLslLabels().getDroppedRingFull();
            if ((st.getSamplesIn() + st.getSamplesDropped() >= published && labels >= published)
                    || System.nanoTime() > deadline) {
                return s.getLslLabels().getLabelsIn();
            }
            Thread.sleep(20);
        }
    }

    private JobInfo runJob(
            ManagedChannel channel, String recording, String config, PrintWriter log) {
        return JobRun.run(
                JobServiceGrpc.newBlockingStub(channel),
                SubmitJobRequest.newBuilder()
                        .addRecordings(recording)
                        .setInputsStream("samples")
                        .setLabelsStream("labels")
                        .setConfigJson(config)
                        .setValidationFraction(VALIDATION_FRACTION)
                        .build(),
                settings.jobConfig().toString(),
                "bench decode: ",
                "R²",
                p -> p.getValidationR2(),
                log);
    }
}
