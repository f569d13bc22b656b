package org.spikeloop.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.spikeloop.proto.v1.CheckpointInfo;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.LearningState;
import org.spikeloop.proto.v1.LoadCheckpointRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SetLearningModeRequest;
import org.spikeloop.proto.v1.SetLearningParametersRequest;
import org.spikeloop.proto.v1.SnapshotRequest;
import org.spikeloop.server.engine.LearningStateView;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.session.LearningControl;

/**
 * spikeloop.v1.LearningService: translates to {@link LearningControl}; replies when the engine has
 * run the command (asynchronously, never blocking a gRPC thread).
 */
public final class LearningGrpcService extends LearningServiceGrpc.LearningServiceImplBase {
    private final LearningControl control;
    private final java.util.concurrent.Executor replies;

    /**
     * @param replies where replies are sent from (never the engine thread that completes a command)
     */
    public LearningGrpcService(LearningControl control, java.util.concurrent.Executor replies) {
        this.control = control;
        this.replies = replies;
    }

    @Override
    public void setLearningMode(SetLearningModeRequest r, StreamObserver<LearningState> response) {
        reply(
                response,
                () -> control.setMode(r.getSessionId(), ProtoMapping.toMode(r.getMode()), who()),
                v -> ProtoMapping.toProto(r.getSessionId(), v));
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
                v -> ProtoMapping.toProto(r.getSessionId(), v));
    }

    @Override
    public void snapshotCheckpoint(SnapshotRequest r, StreamObserver<CheckpointInfo> response) {
        reply(
                response,
                () -> control.snapshot(r.getSessionId(), r.getName(), who()),
                c ->
                        CheckpointInfo.newBuilder()
                                .setName(c.name())
                                .setContentId(c.contentId())
                                .setStep(c.step())
                                .build());
    }

    @Override
    public void loadCheckpoint(LoadCheckpointRequest r, StreamObserver<LearningState> response) {
        reply(
                response,
                () -> control.load(r.getSessionId(), r.getCheckpoint(), who()),
                v -> ProtoMapping.toProto(r.getSessionId(), v));
    }

    @Override
    public void rollBack(SessionId r, StreamObserver<LearningState> response) {
        reply(
                response,
                () -> control.rollBack(r.getId(), who()),
                v -> ProtoMapping.toProto(r.getId(), v));
    }

    @Override
    public void getLearningState(SessionId r, StreamObserver<LearningState> response) {
        reply(
                response,
                () -> control.state(r.getId()),
                (LearningStateView v) -> ProtoMapping.toProto(r.getId(), v));
    }

    private static String who() {
        return AuthInterceptor.caller().name();
    }

    private <T, R> void reply(
            StreamObserver<R> response,
            java.util.function.Supplier<CompletableFuture<T>> call,
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
