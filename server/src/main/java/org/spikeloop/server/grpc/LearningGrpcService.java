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
import org.spikeloop.server.governance.LiveCheckpoints;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.session.LearningControl;

/**
 * spikeloop.v1.LearningService: mode and parameters translate to {@link LearningControl}; snapshot,
 * load and roll back to {@link LiveCheckpoints} (the checkpoint registry: lineage, roles, rollback
 * history, governance audit). Replies when the engine has run the command (asynchronously, never
 * blocking a gRPC thread); the reported {@code rollback_depth} is the registry history's.
 */
public final class LearningGrpcService extends LearningServiceGrpc.LearningServiceImplBase {
    private final LearningControl control;
    private final LiveCheckpoints checkpoints;
    private final Executor replies;

    /**
     * @param replies where replies are sent from (never the engine thread that completes a command)
     */
    public LearningGrpcService(
            LearningControl control, LiveCheckpoints checkpoints, Executor replies) {
        this.control = control;
        this.checkpoints = checkpoints;
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
        reply(
                response,
                () -> checkpoints.snapshot(r.getSessionId(), r.getName(), who(), r.getReason()),
                v -> info(v.entry(), v.step()));
    }

    @Override
    public void loadCheckpoint(LoadCheckpointRequest r, StreamObserver<LearningState> response) {
        reply(
                response,
                () ->
                        checkpoints
                                .load(r.getSessionId(), r.getCheckpoint(), who(), r.getReason())
                                .thenCompose(e -> control.state(r.getSessionId())),
                v -> state(r.getSessionId(), v));
    }

    @Override
    public void rollBack(SessionId r, StreamObserver<LearningState> response) {
        reply(
                response,
                () ->
                        checkpoints
                                .rollBack(r.getSessionId(), who())
                                .thenCompose(e -> control.state(r.getSessionId())),
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
