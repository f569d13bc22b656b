package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.HeldOutEvaluation;
import org.spikeloop.learn.jobs.HeldOutScore;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.GovernSessionRequest;
import org.spikeloop.proto.v1.GovernanceActionRequest;
import org.spikeloop.proto.v1.GovernanceAuditEvent;
import org.spikeloop.proto.v1.GovernanceServiceGrpc;
import org.spikeloop.proto.v1.GovernanceState;
import org.spikeloop.proto.v1.JobEvent;
import org.spikeloop.proto.v1.JobId;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.JobState;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.server.governance.XdfRecentData;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * Issue 14: a checkpoint a training job registers is a checkpoint like any other, all through the
 * public API. A job (JobService) trains on a recording; a session starts from its checkpoint
 * ({@code CreateSession.decoder.registry_id}) and decodes; a second job on the session's drifted
 * data becomes its reference; shadow evaluation (GovernanceService) scores the live decoder and the
 * reference on the same frames — the scores are those of an independent evaluation of both weights
 * on one and the same slice of the recording, and once the reference is promoted (manually) and
 * drives the session, live and reference score exactly alike.
 */
class JobCheckpointSessionTest {
    private static final double EVALUATION_S = 3.0;

    @TempDir Path dir;

    private static String config() {
        return "{\"network\": "
                + SpecJson.toJson(RigRecordings.spec())
                + ", \"loss\": {\"name\": \"readout_mse\"}, \"training\": {\"optimizer\": \"adam\","
                + " \"learningRate\": 0.01, \"epochs\": 3, \"batchSize\": 8, \"clipNorm\": 1.0}}";
    }

    private static String runJob(
            JobServiceGrpc.JobServiceBlockingStub jobs, String session, String recording) {
        SubmitJobRequest.Builder r =
                SubmitJobRequest.newBuilder()
                        .setSessionId(session)
                        .addRecordings(recording)
                        .setInputsStream(RigRecordings.SPIKES)
                        .setLabelsStream(RigRecordings.KINEMATICS)
                        .setWindowFrames(250)
                        .setPatience(2);
        if (session.isEmpty()) {
            r.setConfigJson(config()); // later jobs start from the session's active checkpoint
        }
        String id = jobs.submitJob(r.build()).getId();
        JobEvent last = null;
        for (Iterator<JobEvent> it = jobs.watchJob(JobId.newBuilder().setId(id).build());
                it.hasNext(); ) {
            last = it.next();
        }
        assertThat(last).isNotNull();
        assertThat(last.getState()).as(last.getMessage()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
        return last.getMessage(); // the checkpoint id on success
    }

    @Test
    void shouldStartASessionFromAJobsCheckpointPromoteTheNextAndScoreBothOnTheSameFrames()
            throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir, false, new Properties())) {
            Path recordings = f.app.config().recordingsDir();
            Files.createDirectories(recordings);
            RigRecordings.write(recordings.resolve("before.xdf"), 12.0, 7, 0);
            RigRecordings.write(recordings.resolve("drifted.xdf"), 12.0, 8, 90);
            var jobs = JobServiceGrpc.newBlockingStub(f.channel);
            var gov = GovernanceServiceGrpc.newBlockingStub(f.channel);
            CheckpointRegistry registry = f.app.governance().registry();

            // 1. A job's checkpoint starts a session.
            String trained = runJob(jobs, "", "before.xdf");
            assertThat(registry.find(trained).orElseThrow().lineage().kind()).isEqualTo("job");
            Session created =
                    SessionServiceGrpc.newBlockingStub(f.channel)
                            .createSession(
                                    CreateSessionRequest.newBuilder()
                                            .setSpec(
                                                    SessionSpec.newBuilder()
                                                            .setName("from a job")
                                                            .setChannelCount(RigRecordings.UNITS)
                                                            .setSampleRateHz(1000)
                                                            .setStallAfterS(60)
                                                            .setDecoder(
                                                                    DecoderSpec.newBuilder()
                                                                            .setRegistryId(
                                                                                    trained)))
                                            .build());
            String sid = created.getId();
            assertThat(created.getState()).isEqualTo(SessionState.SESSION_STATE_RUNNING);
            SessionId id = SessionId.newBuilder().setSessionId(sid).build();
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            assertThat(learning.getLearningState(id).getActiveCheckpoint()).isEqualTo(trained);
            assertThat(registry.roles(sid).active()).isEqualTo(trained);
            feed(f.app.sessions().get(sid), 500);
            assertThat(f.app.sessions().get(sid).steps()).isEqualTo(500);

            // 2. A job on the session's (drifted) data becomes its reference.
            String reference = runJob(jobs, sid, "drifted.xdf");
            assertThat(registry.find(reference).orElseThrow().lineage().parentId())
                    .isEqualTo(trained);
            assertThat(registry.roles(sid).reference()).isEqualTo(reference);

            // 3. Shadow evaluation: live (still the first job's weights: learning is off) and the
            // reference on the same recent frames.
            GovernanceState governed =
                    gov.governSession(
                            GovernSessionRequest.newBuilder()
                                    .setSessionId(sid)
                                    .addRecordings("drifted.xdf")
                                    .setInputsStream(RigRecordings.SPIKES)
                                    .setLabelsStream(RigRecordings.KINEMATICS)
                                    .setEvaluationSeconds(EVALUATION_S)
                                    .build());
            assertThat(governed.getReferenceCheckpoint()).isEqualTo(reference);
            var before = gov.evaluateNow(id).getScores();
            NetworkSpec spec = registry.load(trained).spec();
            LabelledSequence recent =
                    new XdfRecentData(
                                    () -> List.of(recordings.resolve("drifted.xdf")),
                                    RigRecordings.SPIKES,
                                    RigRecordings.KINEMATICS,
                                    EVALUATION_S,
                                    RigRecordings.UNITS,
                                    2)
                            .recent();
            HeldOutScore live =
                    HeldOutEvaluation.score(
                            spec, registry.load(governed.getActiveCheckpoint()).params(), recent);
            HeldOutScore ref =
                    HeldOutEvaluation.score(spec, registry.load(reference).params(), recent);
            assertThat(before.getFrames()).isEqualTo(recent.frames()).isGreaterThan(2000);
            assertThat(before.getReferenceId()).isEqualTo(reference);
            assertThat(before.getLiveMse()).isEqualTo(live.mse());
            assertThat(before.getReferenceMse()).isEqualTo(ref.mse());
            assertThat(before.getLiveR2()).isEqualTo(live.r2());
            assertThat(before.getReferenceR2()).isEqualTo(ref.r2());
            // the reference, trained on the drift, is the better decoder of it
            assertThat(before.getReferenceMse()).isLessThan(before.getLiveMse());

            // 4. Promoted like any other checkpoint: it drives the session.
            GovernanceState promoted =
                    gov.promote(
                            GovernanceActionRequest.newBuilder()
                                    .setSessionId(sid)
                                    .setReason("the job's reference decodes the drift")
                                    .build());
            assertThat(promoted.getActiveCheckpoint()).isEqualTo(reference);
            assertThat(learning.getLearningState(id).getActiveCheckpoint()).isEqualTo(reference);
            List<GovernanceAuditEvent> audit = gov.listGovernanceAudit(id).getEventsList();
            assertThat(audit.get(audit.size() - 1).getAction()).isEqualTo("promote");
            assertThat(audit.get(audit.size() - 1).getToCheckpoint()).isEqualTo(reference);
            var after = gov.evaluateNow(id).getScores();
            assertThat(after.getFrames()).isEqualTo(before.getFrames());
            assertThat(after.getLiveMse()).isEqualTo(after.getReferenceMse()).isEqualTo(ref.mse());
            assertThat(after.getLiveR2()).isEqualTo(after.getReferenceR2());

            // 5. And the session decodes on with it.
            feed(f.app.sessions().get(sid), 500);
            assertThat(f.app.sessions().get(sid).steps()).isEqualTo(1000);
        }
    }

    /** Pushes {@code n} samples and waits until the engine has stepped them. */
    private static void feed(org.spikeloop.server.session.Session s, int n) throws Exception {
        long target = s.steps() + n;
        try (SampleIngest in = s.openSampleStream()) {
            int rows = in.beginChunk(RigRecordings.UNITS, n * RigRecordings.UNITS, n, 1000.0);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(in.rowBuffer(), 0f);
                in.rowBuffer()[r % RigRecordings.UNITS] = 1f;
                in.offerRow(2000.0 + (target - n + r) / 1000.0);
            }
            in.endChunk();
        }
        long until = System.nanoTime() + 10_000_000_000L;
        while (s.steps() < target && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }
}
