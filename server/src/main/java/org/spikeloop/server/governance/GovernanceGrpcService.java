package org.spikeloop.server.governance;

import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.spikeloop.proto.v1.GovernSessionRequest;
import org.spikeloop.proto.v1.GovernanceActionRequest;
import org.spikeloop.proto.v1.GovernanceAuditEvent;
import org.spikeloop.proto.v1.GovernanceServiceGrpc;
import org.spikeloop.proto.v1.GovernanceState;
import org.spikeloop.proto.v1.ListGovernanceAuditResponse;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SetPolicyRequest;
import org.spikeloop.server.jobs.JobManager;
import org.spikeloop.server.jobs.JobStatuses;
import org.spikeloop.server.jobs.JobTriggers;
import org.spikeloop.server.jobs.PeriodicTrigger;
import org.spikeloop.server.jobs.RecordingsDirectory;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.jobs.XdfRecordingSource;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.Role;
import org.spikeloop.server.registry.SessionRoles;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionManager;

/**
 * spikeloop.v1.GovernanceService: translates to {@link Governor} (and, for periodic training, to
 * {@link JobTriggers}). Every call runs on {@code work} (shadow evaluation and checkpoint I/O
 * block), never on a gRPC transport thread; the caller's principal is the audited "who".
 */
public final class GovernanceGrpcService extends GovernanceServiceGrpc.GovernanceServiceImplBase {
    private final Governor governor;
    private final SessionManager sessions;
    private final JobManager jobs;
    private final JobTriggers triggers;
    private final RecordingsDirectory recordings;
    private final CheckpointRegistry registry;
    private final Executor work;

    public GovernanceGrpcService(
            Governor governor,
            SessionManager sessions,
            JobManager jobs,
            JobTriggers triggers,
            RecordingsDirectory recordings,
            Executor work) {
        this.governor = governor;
        this.sessions = sessions;
        this.jobs = jobs;
        this.triggers = triggers;
        this.recordings = recordings;
        this.registry = jobs.registry();
        this.work = work;
    }

    @Override
    public void governSession(GovernSessionRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    Session s = sessions.get(r.getSessionId());
                    GovernancePolicy policy = policy(r.getPolicy());
                    if (r.hasSnapshotEveryS()) {
                        policy = policy.withSnapshotEveryS(snapshotEveryS(r.getSnapshotEveryS()));
                    }
                    List<Path> files = recordings.resolve("recordings", r.getRecordingsList());
                    if (r.getInputsStream().isEmpty() || r.getLabelsStream().isEmpty()) {
                        throw new IllegalArgumentException(
                                "inputs_stream and labels_stream: both stream names are required");
                    }
                    double seconds = r.getEvaluationSeconds() == 0 ? 60 : r.getEvaluationSeconds();
                    if (!(seconds > 0)) {
                        throw new IllegalArgumentException(
                                "evaluation_seconds: must be > 0, got " + seconds);
                    }
                    if (r.getTrainEveryMinutes() < 0) {
                        throw new IllegalArgumentException(
                                "train_every_minutes: must be >= 0, got "
                                        + r.getTrainEveryMinutes());
                    }
                    governor.govern(
                            new EngineSessionControl(s),
                            new XdfRecentData(
                                    () -> files,
                                    r.getInputsStream(),
                                    r.getLabelsStream(),
                                    seconds,
                                    s.spec().inputs(),
                                    s.spec().outputs()),
                            policy,
                            who);
                    if (r.getTrainEveryMinutes() > 0 || r.getTrainEveryLabelledSamples() > 0) {
                        String sid = s.id();
                        triggers.add(
                                new PeriodicTrigger(
                                        sid,
                                        Math.round(r.getTrainEveryMinutes() * 60_000),
                                        r.getTrainEveryLabelledSamples(),
                                        new XdfRecordingSource(files, r.getLabelsStream()),
                                        f ->
                                                new TrainingJobRequest(
                                                        sid,
                                                        f,
                                                        r.getInputsStream(),
                                                        r.getLabelsStream(),
                                                        Double.NaN,
                                                        Double.NaN,
                                                        null,
                                                        registry.roles(sid).active(),
                                                        0.25,
                                                        0, // the recipe's 1-s windows
                                                        3,
                                                        "policy:periodic"),
                                        jobs,
                                        Clock.systemUTC()));
                    }
                    return state(s.id());
                });
    }

    @Override
    public void getGovernance(SessionId r, StreamObserver<GovernanceState> response) {
        async(response, () -> state(r.getId()));
    }

    @Override
    public void evaluateNow(SessionId r, StreamObserver<GovernanceState> response) {
        async(
                response,
                () -> {
                    governor.evaluate(r.getId());
                    return state(r.getId());
                });
    }

    @Override
    public void setPolicy(SetPolicyRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    long period =
                            r.hasSnapshotEveryS()
                                    ? snapshotEveryS(r.getSnapshotEveryS())
                                    : governor.policy(r.getSessionId()).snapshotEveryS();
                    governor.setPolicy(
                            r.getSessionId(),
                            policy(r.getPolicy()).withSnapshotEveryS(period),
                            who);
                    return state(r.getSessionId());
                });
    }

    @Override
    public void promote(GovernanceActionRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    governor.promote(r.getSessionId(), who, reason(r, "operator promotion"));
                    return state(r.getSessionId());
                });
    }

    @Override
    public void rollBackToLastGood(
            GovernanceActionRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    governor.rollBack(r.getSessionId(), who, reason(r, "operator rollback"));
                    return state(r.getSessionId());
                });
    }

    @Override
    public void snapshotActive(
            GovernanceActionRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    governor.snapshot(r.getSessionId(), who, reason(r, "operator snapshot"));
                    return state(r.getSessionId());
                });
    }

    @Override
    public void listGovernanceAudit(
            SessionId r, StreamObserver<ListGovernanceAuditResponse> response) {
        async(
                response,
                () -> {
                    ListGovernanceAuditResponse.Builder b =
                            ListGovernanceAuditResponse.newBuilder();
                    for (GovernanceEvent e : governor.audit(r.getId())) {
                        b.addEvents(
                                GovernanceAuditEvent.newBuilder()
                                        .setTimeUnixMs(e.time().toEpochMilli())
                                        .setSessionId(e.sessionId())
                                        .setAction(e.action())
                                        .setWho(e.who())
                                        .setReason(e.reason())
                                        .setLiveMse(e.liveMse())
                                        .setReferenceMse(e.referenceMse())
                                        .setFromCheckpoint(e.fromId())
                                        .setToCheckpoint(e.toId()));
                    }
                    return b.build();
                });
    }

    private GovernanceState state(String sessionId) {
        GovernancePolicy p = governor.policy(sessionId); // NOT governed → INVALID_ARGUMENT
        SessionRoles roles = registry.roles(sessionId);
        GovernanceState.Builder b =
                GovernanceState.newBuilder()
                        .setSessionId(sessionId)
                        .setActiveCheckpoint(nz(roles.get(Role.ACTIVE)))
                        .setReferenceCheckpoint(nz(roles.get(Role.REFERENCE)))
                        .setLastGoodCheckpoint(nz(roles.get(Role.LAST_GOOD)))
                        .setPolicy(
                                org.spikeloop.proto.v1.GovernancePolicy.newBuilder()
                                        .setAutoPromote(p.autoPromote())
                                        .setPromoteMargin(p.promoteMargin())
                                        .setAutoRollback(p.autoRollback())
                                        .setRollbackMargin(p.rollbackMargin())
                                        .setSustainedEvaluations(p.sustainedEvaluations())
                                        .setWeightNormLimit(p.weightNormLimit()))
                        .setSnapshotEveryS(p.snapshotEveryS());
        ShadowScores s = governor.scores(sessionId);
        if (s != null) {
            b.setScores(
                    org.spikeloop.proto.v1.ShadowScores.newBuilder()
                            .setTimeUnixMs(s.time().toEpochMilli())
                            .setFrames(s.frames())
                            .setLiveMse(s.liveMse())
                            .setLiveR2(s.liveR2())
                            .setReferenceId(s.referenceId())
                            .setReferenceMse(s.referenceMse())
                            .setReferenceR2(s.referenceR2())
                            .setGuard(s.guard()));
        }
        return b.build();
    }

    /** Maps the proto policy; an unset policy is manual. */
    static GovernancePolicy policy(org.spikeloop.proto.v1.GovernancePolicy p) {
        if (p.equals(org.spikeloop.proto.v1.GovernancePolicy.getDefaultInstance())) {
            return GovernancePolicy.manual();
        }
        return new GovernancePolicy(
                p.getAutoPromote(),
                p.getPromoteMargin(),
                p.getAutoRollback(),
                p.getRollbackMargin(),
                p.getSustainedEvaluations(),
                p.getWeightNormLimit() == 0 ? 1e6 : p.getWeightNormLimit());
    }

    /** {@code snapshot_every_s} (unsigned on the wire): at most one year. */
    static long snapshotEveryS(long unsignedSeconds) {
        if (unsignedSeconds < 0 || unsignedSeconds > 365L * 24 * 3600) {
            throw new IllegalArgumentException(
                    "snapshot_every_s: must be 0 (off) to 31536000 s, got "
                            + Long.toUnsignedString(unsignedSeconds));
        }
        return unsignedSeconds;
    }

    private static String reason(GovernanceActionRequest r, String dflt) {
        return r.getReason().isEmpty() ? dflt : r.getReason();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private <T> void async(StreamObserver<T> response, Supplier<T> body) {
        CompletableFuture.supplyAsync(body, work)
                .whenComplete(
                        (v, t) -> {
                            if (t != null) {
                                response.onError(JobStatuses.toStatus(t));
                            } else {
                                response.onNext(v);
                                response.onCompleted();
                            }
                        });
    }
}
