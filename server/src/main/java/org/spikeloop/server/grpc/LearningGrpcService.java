package org.spikeloop.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.spikeloop.proto.v1.CheckpointInfo;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.LearningState;
import org.spikeloop.proto.v1.LoadCheckpointRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SetLearningModeRequest;
import org.spikeloop.proto.v1.SetLearningParametersRequest;
import org.spikeloop.proto.v1.SnapshotRequest;
import org.spikeloop.server.engine.LearningStateView;
import org.spikeloop.server.governance.EngineSessionControl;
import org.spikeloop.server.governance.SessionCheckpoints;
import org.spikeloop.server.governance.SessionControl;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.session.LearningControl;
import org.spikeloop.server.session.ServerException;
import org.spikeloop.server.session.SessionManager;

/**
 * spikeloop.v1.LearningService: mode and parameters translate to {@link LearningControl}; snapshot,
 * load and roll back go through the checkpoint registry ({@link SessionCheckpoints}: lineage,
 * roles, rollback history, governance audit). Replies when the engine has run the command
 * (asynchronously, never blocking a gRPC thread); the reported {@code rollback_depth} is the
 * registry history's.
 */
public final class LearningGrpcService extends LearningServiceGrpc.LearningServiceImplBase {
    private final LearningControl control;
    private final SessionCheckpoints checkpoints;
    private final SessionManager sessions;
    private final Executor replies;

    /**
     * @param replies where replies are sent from and registry work runs (never the engine thread
     *     that completes a command)
     */
    public LearningGrpcService(
            LearningControl control,
            SessionCheckpoints checkpoints,
            SessionManager sessions,
            Executor replies) {
        this.control = control;
        this.checkpoints = checkpoints;
        this.sessions = sessions;
        this.replies = replies;
    }

    @Override
    public void setLearningMode(SetLearningModeRequest r, StreamObserver<LearningState> response) {
        reply(
                response,
                () -> control.setMode(r.getSessionId(), ProtoMapping.toMode(r.getMode()), who()),
                v -> state(r.getSessionId(), v));
    }

    @Override
    public void setLearningParameters(
            SetLearningParametersRequest r, StreamObserver<LearningState> response) {
        reply(
                response,
                () ->
                        control.setParameters(
                                r.getSessionId(),
                                r.getLearningRate(),
                                (int)
                                        Math.min(
                                                Integer.MAX_VALUE,
                                                Integer.toUnsignedLong(r.getUpdateIntervalSteps())),
                                who()),
                v -> state(r.getSessionId(), v));
    }

    @Override
    public void snapshotCheckpoint(SnapshotRequest r, StreamObserver<CheckpointInfo> response) {
        String who = who();
        reply(
                response,
                () -> {
                    if (!r.getName().isEmpty()) {
                        throw ServerException.invalid(
                                "name: must be empty; snapshots are registry entries named by"
                                        + " their content id (give a reason instead), got '"
                                        + r.getName()
                                        + "'");
                    }
                    SessionControl c = engine(r.getSessionId());
                    String reason = r.getReason().isEmpty() ? "operator snapshot" : r.getReason();
                    return registryWork(
                            () -> {
                                long step = c.steps();
                                return info(checkpoints.snapshot(c, who, reason), step);
                            });
                },
                v -> v);
    }

    @Override
    public void loadCheckpoint(LoadCheckpointRequest r, StreamObserver<LearningState> response) {
        String who = who();
        reply(
                response,
                () -> {
                    SessionControl c = engine(r.getSessionId());
                    String reason = r.getReason().isEmpty() ? "operator load" : r.getReason();
                    return registryWork(() -> checkpoints.load(c, r.getCheckpoint(), who, reason))
                            .thenCompose(e -> control.state(r.getSessionId()));
                },
                v -> state(r.getSessionId(), v));
    }

    @Override
    public void rollBack(SessionId r, StreamObserver<LearningState> response) {
        String who = who();
        reply(
                response,
                () -> {
                    SessionControl c = engine(r.getSessionId());
                    return registryWork(() -> checkpoints.rollBack(c, who, "operator rollback"))
                            .thenCompose(e -> control.state(r.getSessionId()));
                },
                v -> state(r.getSessionId(), v));
    }

    @Override
    public void getLearningState(SessionId r, StreamObserver<LearningState> response) {
        reply(response, () -> control.state(r.getSessionId()), v -> state(r.getSessionId(), v));
    }

    private LearningState state(String sessionId, LearningStateView v) {
        return ProtoMapping.toProto(sessionId, v).toBuilder()
                .setRollbackDepth(checkpoints.rollbackDepth(sessionId))
                .build();
    }

    /** The session's engine as governance sees it. @throws ServerException NOT_FOUND */
    private SessionControl engine(String sessionId) {
        return new EngineSessionControl(sessions.get(sessionId));
    }

    /** Registry work blocks on the engine and on files: run it on {@code replies}. */
    private <T> CompletableFuture<T> registryWork(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, replies);
    }

    private static CheckpointInfo info(RegistryEntry e, long step) {
        return CheckpointInfo.newBuilder()
                .setName(e.file())
                .setContentId(e.id())
                .setStep(step)
                .setParentId(e.lineage().parentId() == null ? "" : e.lineage().parentId())
                .setCreator(e.lineage().creator())
                .setReason(e.lineage().reason())
                .setKind(e.lineage().kind())
                .build();
    }

    private static String who() {
        return AuthInterceptor.caller().name();
    }

    private <T, R> void reply(
            StreamObserver<R> response,
            Supplier<CompletableFuture<T>> call,
            Function<T, R> toProto) {
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
            return;
        }
        f.whenCompleteAsync(
                (v, e) -> {
                    if (e != null) {
                        response.onError(Statuses.toStatus(e));
                    } else {
                        try {
                            response.onNext(toProto.apply(v));
                            response.onCompleted();
                        } catch (RuntimeException ex) {
                            response.onError(Statuses.toStatus(ex));
                        }
                    }
                },
                replies);
    }
}
