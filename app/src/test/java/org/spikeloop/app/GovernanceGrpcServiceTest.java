package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.GovernSessionRequest;
import org.spikeloop.proto.v1.GovernanceActionRequest;
import org.spikeloop.proto.v1.GovernanceAuditEvent;
import org.spikeloop.proto.v1.GovernanceServiceGrpc;
import org.spikeloop.proto.v1.GovernanceState;
import org.spikeloop.proto.v1.JobEvent;
import org.spikeloop.proto.v1.JobId;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.JobState;
import org.spikeloop.proto.v1.ListJobsRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SetPolicyRequest;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.governance.GovernanceModule;
import org.spikeloop.server.governance.GovernancePolicy;
import org.spikeloop.server.governance.Governor;
import org.spikeloop.server.governance.WeightGuard;
import org.spikeloop.server.grpc.GovernanceGrpcService;
import org.spikeloop.server.grpc.JobGrpcService;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;
import org.spikeloop.snn.spec.NeuronModel;

/**
 * JobService and GovernanceService over real gRPC stubs (in-process transport) against real
 * sessions: govern a session, submit a job on its recording, watch it to the end, list it, promote
 * its reference manually, read state, scores and the audit trail; bad requests get clear statuses.
 */
class GovernanceGrpcServiceTest {
    @TempDir Path dir;
    SpikeloopApplication app;
    GovernanceModule module;
    Server server;
    ManagedChannel channel;
    Session session;

    @BeforeEach
    void setUp() throws Exception {
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("session-recordings").toString());
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        app =
                SpikeloopApplication.start(
                        cfg, InProcessServerBuilder.forName(InProcessServerBuilder.generateName()));
        Files.createDirectories(dir.resolve("recordings"));
        RigRecordings.write(dir.resolve("recordings").resolve("rec.xdf"), 8.0, 7, 0);
        module =
                new GovernanceModule(
                        new GovernanceModule.Settings(
                                dir.resolve("registry"),
                                dir.resolve("recordings"),
                                1,
                                4,
                                1,
                                10,
                                3_600_000,
                                3_600_000),
                        app.sessions(),
                        null);
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder b = InProcessServerBuilder.forName(name);
        b.addService(new JobGrpcService(module.jobs(), module.recordings()));
        b.addService(new GovernanceGrpcService(module.operations(), module.workExecutor()));
        server = b.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        session =
                app.sessions()
                        .create(
                                new SessionConfig(
                                        "rig",
                                        RigRecordings.UNITS,
                                        1000.0,
                                        new DecoderSource.Architecture(32, 2, NeuronModel.LIF, 4),
                                        false,
                                        0,
                                        0,
                                        SessionConfig.SourceKind.GRPC,
                                        null,
                                        30.0),
                                "tester");
    }

    @AfterEach
    void tearDown() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        module.close();
        app.close();
    }

    private GovernanceServiceGrpc.GovernanceServiceBlockingStub gov() {
        return GovernanceServiceGrpc.newBlockingStub(channel);
    }

    private JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel);
    }

    private GovernanceState govern() {
        return gov().governSession(
                        GovernSessionRequest.newBuilder()
                                .setSessionId(session.id())
                                .addRecordings("rec.xdf")
                                .setInputsStream(RigRecordings.SPIKES)
                                .setLabelsStream(RigRecordings.KINEMATICS)
                                .setEvaluationSeconds(2.0)
                                .build());
    }

    @Test
    void shouldRunAJobWatchItPromoteItAndAuditEverything() {
        GovernanceState s0 = govern();
        assertThat(s0.getActiveCheckpoint()).isNotEmpty().isEqualTo(s0.getLastGoodCheckpoint());
        assertThat(s0.getPolicy().getAutoPromote()).isFalse();

        JobInfo submitted =
                jobs().submitJob(
                                SubmitJobRequest.newBuilder()
                                        .setSessionId(session.id())
                                        .addRecordings("rec.xdf")
                                        .setInputsStream(RigRecordings.SPIKES)
                                        .setLabelsStream(RigRecordings.KINEMATICS)
                                        .setWindowFrames(250)
                                        .setPatience(2)
                                        .setConfigJson("")
                                        .build());
        assertThat(submitted.getCreator()).isEqualTo("anonymous");
        List<JobEvent> events = new ArrayList<>();
        Iterator<JobEvent> it =
                jobs().watchJob(JobId.newBuilder().setId(submitted.getId()).build());
        it.forEachRemaining(events::add);
        assertThat(events.get(0).getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.getState()).as(last.getMessage()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
        JobEvent epoch = events.stream().filter(JobEvent::hasProgress).findFirst().orElseThrow();
        assertThat(epoch.getProgress().getEpoch()).isEqualTo(1);
        assertThat(epoch.getProgress().getEtaS()).isPositive();
        assertThat(epoch.getProgress().getValidationLoss()).isPositive();

        JobInfo listed =
                jobs().listJobs(ListJobsRequest.newBuilder().setSessionId(session.id()).build())
                        .getJobs(0);
        assertThat(listed.getCheckpointId()).isEqualTo(last.getMessage());
        assertThat(listed.getReport()).endsWith(".report.json");

        GovernanceState evaluated =
                gov().evaluateNow(SessionId.newBuilder().setSessionId(session.id()).build());
        assertThat(evaluated.getReferenceCheckpoint()).isEqualTo(listed.getCheckpointId());
        assertThat(evaluated.getScores().getLiveMse()).isPositive();
        assertThat(evaluated.getScores().getReferenceMse()).isPositive();
        assertThat(evaluated.getActiveCheckpoint()).isEqualTo(s0.getActiveCheckpoint()); // manual
        assertThat(
                        app.metrics()
                                .registry()
                                .get(Governor.SHADOW_GAUGE)
                                .tag("session", session.id())
                                .tag("decoder", "reference")
                                .gauge()
                                .value())
                .isEqualTo(evaluated.getScores().getReferenceMse());

        GovernanceState promoted =
                gov().promote(
                                GovernanceActionRequest.newBuilder()
                                        .setSessionId(session.id())
                                        .setReason("clinician accepted the new reference")
                                        .build());
        assertThat(promoted.getActiveCheckpoint()).isEqualTo(listed.getCheckpointId());
        GovernanceState back =
                gov().rollBackToLastGood(
                                GovernanceActionRequest.newBuilder()
                                        .setSessionId(session.id())
                                        .build());
        assertThat(back.getActiveCheckpoint())
                .isEqualTo(listed.getCheckpointId()); // promoted = last good

        List<GovernanceAuditEvent> audit =
                gov().listGovernanceAudit(SessionId.newBuilder().setSessionId(session.id()).build())
                        .getEventsList();
        assertThat(audit)
                .extracting(GovernanceAuditEvent::getAction)
                .containsExactly("snapshot", "policy", "promote", "rollback");
        GovernanceAuditEvent promote = audit.get(2);
        assertThat(promote.getWho()).isEqualTo("anonymous");
        assertThat(promote.getReason()).isEqualTo("clinician accepted the new reference");
        assertThat(promote.getReferenceMse()).isEqualTo(evaluated.getScores().getReferenceMse());
        assertThat(
                        app.metrics()
                                .registry()
                                .get(GovernanceMetrics.ACTIONS)
                                .tag("session", session.id())
                                .tag("action", "promote")
                                .counter()
                                .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldAuditAPolicyChange() {
        govern();
        gov().setPolicy(
                        SetPolicyRequest.newBuilder()
                                .setSessionId(session.id())
                                .setPolicy(
                                        org.spikeloop.proto.v1.GovernancePolicy.newBuilder()
                                                .setAutoPromote(true)
                                                .setPromoteMargin(0.2)
                                                .setSustainedEvaluations(2)
                                                .setWeightNormLimit(100))
                                .build());
        List<GovernanceAuditEvent> audit =
                gov().listGovernanceAudit(SessionId.newBuilder().setSessionId(session.id()).build())
                        .getEventsList();
        assertThat(audit.get(audit.size() - 1).getReason())
                .isEqualTo("manual -> auto-promote margin=0.2");
    }

    @Test
    void shouldSetTheSnapshotPeriodOverGrpcShowItInTheStateAndAuditItAsAPolicyChange() {
        SessionId sid = SessionId.newBuilder().setSessionId(session.id()).build();
        GovernanceState governed =
                gov().governSession(
                                GovernSessionRequest.newBuilder()
                                        .setSessionId(session.id())
                                        .addRecordings("rec.xdf")
                                        .setInputsStream(RigRecordings.SPIKES)
                                        .setLabelsStream(RigRecordings.KINEMATICS)
                                        .setSnapshotEveryS(5)
                                        .build());
        assertThat(governed.getSnapshotEveryS()).isEqualTo(5);
        assertThat(module.governor().policy(session.id()).snapshotEveryS()).isEqualTo(5);
        // A policy change without the field keeps the period; with it, sets it (0 = off).
        SetPolicyRequest.Builder manual =
                SetPolicyRequest.newBuilder()
                        .setSessionId(session.id())
                        .setPolicy(
                                org.spikeloop.proto.v1.GovernancePolicy.newBuilder()
                                        .setSustainedEvaluations(1)
                                        .setRollbackMargin(0.5));
        assertThat(gov().setPolicy(manual.build()).getSnapshotEveryS()).isEqualTo(5);
        assertThat(gov().setPolicy(manual.setSnapshotEveryS(0).build()).getSnapshotEveryS())
                .isZero();
        assertThat(gov().getGovernance(sid).getSnapshotEveryS()).isZero();
        List<String> reasons =
                gov().listGovernanceAudit(sid).getEventsList().stream()
                        .filter(e -> e.getAction().equals("policy"))
                        .map(GovernanceAuditEvent::getReason)
                        .toList();
        assertThat(reasons)
                .containsExactly(
                        "initial policy: manual, snapshot every 5 s",
                        "manual, snapshot every 5 s -> manual, snapshot every 5 s",
                        "manual, snapshot every 5 s -> manual, snapshots off");
        assertStatus(
                () -> gov().setPolicy(manual.setSnapshotEveryS(-1L).build()),
                Status.Code.INVALID_ARGUMENT,
                "snapshot_every_s");
        assertThat(gov().getGovernance(sid).getSnapshotEveryS()).isZero();
    }

    @Test
    void shouldShowTheDefaultSnapshotPeriodWhenGovernSessionOmitsIt() {
        assertThat(govern().getSnapshotEveryS())
                .isEqualTo(GovernancePolicy.DEFAULT_SNAPSHOT_EVERY_S);
    }

    @Test
    void shouldRollBackOnANonFiniteGuardToLastGoodAndUpdateTheEnginesActiveId() throws Exception {
        GovernanceState start =
                gov().governSession(
                                GovernSessionRequest.newBuilder()
                                        .setSessionId(session.id())
                                        .addRecordings("rec.xdf")
                                        .setInputsStream(RigRecordings.SPIKES)
                                        .setLabelsStream(RigRecordings.KINEMATICS)
                                        .setPolicy(
                                                org.spikeloop.proto.v1.GovernancePolicy.newBuilder()
                                                        .setAutoRollback(true)
                                                        .setRollbackMargin(0.25)
                                                        .setSustainedEvaluations(3)
                                                        .setWeightNormLimit(1e6))
                                        .build());
        String lastGood = start.getLastGoodCheckpoint();
        setLiveWeight(0.75f);
        GovernanceState snapped =
                gov().snapshotActive(
                                GovernanceActionRequest.newBuilder()
                                        .setSessionId(session.id())
                                        .setReason("tuned")
                                        .build());
        assertThat(snapped.getActiveCheckpoint()).isNotEqualTo(lastGood);
        // The engine's active id follows the snapshot, as the registry's ACTIVE role does.
        assertThat(engineActiveId()).isEqualTo(snapped.getActiveCheckpoint());
        setLiveWeight(Float.NaN);

        GovernanceState after =
                gov().evaluateNow(SessionId.newBuilder().setSessionId(session.id()).build());
        assertThat(after.getScores().getGuard()).contains("non-finite");
        assertThat(after.getActiveCheckpoint()).isEqualTo(lastGood);
        assertThat(engineActiveId()).isEqualTo(lastGood);
        assertThat(WeightGuard.check(session.command(e -> e.exportParams()).get(), 1e6)).isNull();
        List<GovernanceAuditEvent> audit =
                gov().listGovernanceAudit(SessionId.newBuilder().setSessionId(session.id()).build())
                        .getEventsList();
        GovernanceAuditEvent rollback = audit.get(audit.size() - 1);
        assertThat(rollback.getAction()).isEqualTo("rollback");
        assertThat(rollback.getFromCheckpoint()).isEqualTo(snapped.getActiveCheckpoint());
        assertThat(rollback.getToCheckpoint()).isEqualTo(lastGood);
        assertThat(rollback.getReason())
                .contains("guard")
                .contains("live weights non-finite: not exported or snapshotted");
    }

    private void setLiveWeight(float value) throws Exception {
        session.command(
                        e -> {
                            ((org.spikeloop.server.engine.NetworkDecoder) e.decoder())
                                            .network()
                                            .liveParameter("readout.w_out")[0] =
                                    value;
                            return null;
                        })
                .get();
    }

    private String engineActiveId() throws Exception {
        return session.command(e -> e.learningState().activeCheckpoint()).get();
    }

    @Test
    void shouldRefuseBadRequestsWithClearStatuses() {
        assertStatus(
                () ->
                        jobs().submitJob(
                                        SubmitJobRequest.newBuilder()
                                                .addRecordings("../etc/passwd")
                                                .setInputsStream("a")
                                                .setLabelsStream("b")
                                                .setConfigJson("{}")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "recordings[0]: a file name (no path)");
        assertStatus(
                () ->
                        jobs().submitJob(
                                        SubmitJobRequest.newBuilder()
                                                .addRecordings("missing.xdf")
                                                .setInputsStream("a")
                                                .setLabelsStream("b")
                                                .setConfigJson("{}")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "no recording 'missing.xdf'");
        assertStatus(
                () ->
                        jobs().submitJob(
                                        SubmitJobRequest.newBuilder()
                                                .setSessionId(session.id())
                                                .addRecordings("rec.xdf")
                                                .setInputsStream("a")
                                                .setLabelsStream("b")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "has no active checkpoint");
        assertStatus(
                () -> jobs().cancelJob(JobId.newBuilder().setId("nope").build()),
                Status.Code.NOT_FOUND,
                "no job 'nope'");
        assertStatus(
                () ->
                        gov().getGovernance(
                                        SessionId.newBuilder().setSessionId(session.id()).build()),
                Status.Code.INVALID_ARGUMENT,
                "is not under governance");
        assertStatus(
                () ->
                        gov().promote(
                                        GovernanceActionRequest.newBuilder()
                                                .setSessionId("s-missing")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "is not under governance");
        govern();
        assertStatus(
                () ->
                        gov().promote(
                                        GovernanceActionRequest.newBuilder()
                                                .setSessionId(session.id())
                                                .build()),
                Status.Code.FAILED_PRECONDITION,
                "has no reference checkpoint yet");
        assertStatus(
                () ->
                        gov().setPolicy(
                                        SetPolicyRequest.newBuilder()
                                                .setSessionId(session.id())
                                                .setPolicy(
                                                        org.spikeloop.proto.v1.GovernancePolicy
                                                                .newBuilder()
                                                                .setAutoPromote(true)
                                                                .setPromoteMargin(-1)
                                                                .setSustainedEvaluations(1))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "policy.promote_margin");
    }

    private static void assertStatus(Runnable call, Status.Code code, String text) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            assertThat(e.getStatus().getDescription()).contains(text);
                        });
    }
}
