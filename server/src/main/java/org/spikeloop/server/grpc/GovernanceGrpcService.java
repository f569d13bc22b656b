package org.spikeloop.server.grpc;

import io.grpc.stub.StreamObserver;
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
import org.spikeloop.server.governance.GovernRequest;
import org.spikeloop.server.governance.GovernanceEvent;
import org.spikeloop.server.governance.GovernanceOperations;
import org.spikeloop.server.governance.GovernancePolicy;
import org.spikeloop.server.governance.GovernanceStatus;
import org.spikeloop.server.governance.ShadowScores;
import org.spikeloop.server.security.AuthInterceptor;

/**
 * spikeloop.v1.GovernanceService: translates to {@link GovernanceOperations}. Every call runs on
 * {@code work} (shadow evaluation and checkpoint I/O block), never on a gRPC transport thread; the
 * caller's principal is the audited "who".
 */
public final class GovernanceGrpcService extends GovernanceServiceGrpc.GovernanceServiceImplBase {
    private final GovernanceOperations governance;
    private final Executor work;

    public GovernanceGrpcService(GovernanceOperations governance, Executor work) {
        this.governance = governance;
        this.work = work;
    }

    @Override
    public void governSession(GovernSessionRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    governance.govern(
                            new GovernRequest(
                                    r.getSessionId(),
                                    policy(r.getPolicy()),
                                    r.hasSnapshotEveryS() ? r.getSnapshotEveryS() : null,
                                    r.getRecordingsList(),
                                    r.getInputsStream(),
                                    r.getLabelsStream(),
                                    r.getEvaluationSeconds(),
                                    r.getTrainEveryMinutes(),
                                    r.getTrainEveryLabelledSamples()),
                            who);
                    return state(r.getSessionId());
                });
    }

    @Override
    public void getGovernance(SessionId r, StreamObserver<GovernanceState> response) {
        async(response, () -> state(r.getSessionId()));
    }

    @Override
    public void evaluateNow(SessionId r, StreamObserver<GovernanceState> response) {
        async(
                response,
                () -> {
                    governance.evaluate(r.getSessionId());
                    return state(r.getSessionId());
                });
    }

    @Override
    public void setPolicy(SetPolicyRequest r, StreamObserver<GovernanceState> response) {
        String who = AuthInterceptor.caller().name();
        async(
                response,
                () -> {
                    governance.setPolicy(
                            r.getSessionId(),
                            policy(r.getPolicy()),
                            r.hasSnapshotEveryS() ? r.getSnapshotEveryS() : null,
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
                    governance.promote(r.getSessionId(), who, r.getReason());
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
                    governance.rollBack(r.getSessionId(), who, r.getReason());
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
                    governance.snapshot(r.getSessionId(), who, r.getReason());
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
                    for (GovernanceEvent e : governance.audit(r.getSessionId())) {
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

    /** The session's state (NOT governed: INVALID_ARGUMENT). */
    private GovernanceState state(String sessionId) {
        GovernanceStatus st = governance.status(sessionId);
        GovernancePolicy p = st.policy();
        GovernanceState.Builder b =
                GovernanceState.newBuilder()
                        .setSessionId(st.sessionId())
                        .setActiveCheckpoint(nz(st.activeCheckpoint()))
                        .setReferenceCheckpoint(nz(st.referenceCheckpoint()))
                        .setLastGoodCheckpoint(nz(st.lastGoodCheckpoint()))
                        .setPolicy(
                                org.spikeloop.proto.v1.GovernancePolicy.newBuilder()
                                        .setAutoPromote(p.autoPromote())
                                        .setPromoteMargin(p.promoteMargin())
                                        .setAutoRollback(p.autoRollback())
                                        .setRollbackMargin(p.rollbackMargin())
                                        .setSustainedEvaluations(p.sustainedEvaluations())
                                        .setWeightNormLimit(p.weightNormLimit()))
                        .setSnapshotEveryS(p.snapshotEveryS());
        ShadowScores s = st.scores();
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

    /** Maps the proto policy; an unset policy is manual, an unset weight-norm limit the default. */
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
                p.getWeightNormLimit() == 0
                        ? GovernancePolicy.DEFAULT_WEIGHT_NORM_LIMIT
                        : p.getWeightNormLimit());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private <T> void async(StreamObserver<T> response, Supplier<T> body) {
        CompletableFuture.supplyAsync(body, work)
                .whenComplete(
                        (v, t) -> {
                            if (t != null) {
                                response.onError(Statuses.toStatus(t));
                            } else {
                                response.onNext(v);
                                response.onCompleted();
                            }
                        });
    }
}
