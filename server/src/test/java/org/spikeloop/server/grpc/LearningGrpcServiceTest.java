package org.spikeloop.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.LearningMode;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.LoadCheckpointRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SetLearningModeRequest;
import org.spikeloop.proto.v1.SetLearningParametersRequest;
import org.spikeloop.proto.v1.SnapshotRequest;
import org.spikeloop.proto.v1.WatchRequest;

class LearningGrpcServiceTest {
    @TempDir Path dir;

    private static Status.Code code(Throwable e) {
        return Status.fromThrowable(e).getCode();
    }

    /** Pushes the same 200 samples and returns the last decoded output. */
    private static float[] decode(InProcessFixture f, String id, double t0) throws Exception {
        Responses<DecodedFrame> frames = new Responses<>();
        DecodeServiceGrpc.newStub(f.channel)
                .watch(WatchRequest.newBuilder().setSessionId(id).build(), frames);
        Thread.sleep(100);
        Responses<IngestSummary> summary = new Responses<>();
        var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
        in.onNext(IngestGrpcServiceTest.chunk(id, 4, 100, t0, 1f));
        in.onNext(IngestGrpcServiceTest.chunk(id, 4, 100, t0 + 0.1, 1f));
        in.onCompleted();
        summary.await();
        frames.awaitMessages(200);
        DecodedFrame last = frames.messages.get(199);
        return new float[] {last.getOutputs(0), last.getOutputs(1)};
    }

    @Test
    void shouldSnapshotLoadAndRollBackWeightsChangingTheDecodedOutput() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            // A second decoder with other weights, snapshotted into the checkpoint directory.
            CreateSessionRequest other =
                    InProcessFixture.session(4, 16, 2).toBuilder()
                            .setSpec(
                                    InProcessFixture.session(4, 16, 2).getSpec().toBuilder()
                                            .setDecoder(
                                                    DecoderSpec.newBuilder()
                                                            .setArchitecture(
                                                                    InProcessFixture.session(
                                                                                    4, 16, 2)
                                                                            .getSpec()
                                                                            .getDecoder()
                                                                            .getArchitecture()
                                                                            .toBuilder()
                                                                            .setSeed(77))))
                            .build();
            String donor = sessions.createSession(other).getId();
            var info =
                    learning.snapshotCheckpoint(
                            SnapshotRequest.newBuilder()
                                    .setSessionId(donor)
                                    .setName("donor.ckpt")
                                    .build());
            assertThat(info.getContentId()).hasSize(64);
            assertThat(Files.exists(dir.resolve("checkpoints/donor.ckpt"))).isTrue();

            String id = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            float[] before = decode(f, id, 1.0);
            sessions.stopSession(SessionId.newBuilder().setId(id).build());
            String id2 = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            var loaded =
                    learning.loadCheckpoint(
                            LoadCheckpointRequest.newBuilder()
                                    .setSessionId(id2)
                                    .setCheckpoint("donor.ckpt")
                                    .build());
            assertThat(loaded.getActiveCheckpoint()).isEqualTo(info.getContentId());
            assertThat(loaded.getRollbackDepth()).isEqualTo(1);
            float[] withDonor = decode(f, id2, 1.0);
            assertThat(withDonor).isNotEqualTo(before);
            var back = learning.rollBack(SessionId.newBuilder().setId(id2).build());
            assertThat(back.getActiveCheckpoint()).isEmpty();
            String audit = Files.readString(dir.resolve("audit.log"));
            assertThat(audit)
                    .contains("checkpoint.snapshot")
                    .contains("checkpoint.load")
                    .contains("checkpoint.rollback");
        }
    }

    @Test
    void shouldRefuseLoadingACheckpointOfAnotherArchitecture() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            String donor = sessions.createSession(InProcessFixture.session(4, 8, 2)).getId();
            learning.snapshotCheckpoint(
                    SnapshotRequest.newBuilder().setSessionId(donor).setName("small.ckpt").build());
            String id = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            assertThatThrownBy(
                            () ->
                                    learning.loadCheckpoint(
                                            LoadCheckpointRequest.newBuilder()
                                                    .setSessionId(id)
                                                    .setCheckpoint("small.ckpt")
                                                    .build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("checkpoint");
            assertThatThrownBy(
                            () ->
                                    learning.loadCheckpoint(
                                            LoadCheckpointRequest.newBuilder()
                                                    .setSessionId(id)
                                                    .setCheckpoint("absent.ckpt")
                                                    .build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void shouldKeepParametersWithinBoundsAndAuditChanges() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id =
                    SessionServiceGrpc.newBlockingStub(f.channel)
                            .createSession(InProcessFixture.session(4, 8, 2))
                            .getId();
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            var s =
                    learning.setLearningParameters(
                            SetLearningParametersRequest.newBuilder()
                                    .setSessionId(id)
                                    .setLearningRate(0.01)
                                    .setUpdateIntervalSteps(50)
                                    .build());
            assertThat(s.getLearningRate()).isEqualTo(0.01);
            assertThat(s.getUpdateIntervalSteps()).isEqualTo(50);
            assertThatThrownBy(
                            () ->
                                    learning.setLearningParameters(
                                            SetLearningParametersRequest.newBuilder()
                                                    .setSessionId(id)
                                                    .setLearningRate(5)
                                                    .build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("learning_rate");
            assertThatThrownBy(
                            () ->
                                    learning.setLearningParameters(
                                            SetLearningParametersRequest.newBuilder()
                                                    .setSessionId(id)
                                                    .setUpdateIntervalSteps(1_000_000)
                                                    .build()))
                    .hasMessageContaining("update_interval_steps");
            assertThat(Files.readString(dir.resolve("audit.log")))
                    .contains("learning.parameters")
                    .contains("rate=0.001 interval=100");
        }
    }

    @Test
    void shouldFreezeRefuseEnablingUntilPausedThenLearn() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            String id = sessions.createSession(InProcessFixture.session(4, 8, 2)).getId();
            SessionId sid = SessionId.newBuilder().setId(id).build();
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            assertThat(learning.getLearningState(sid).getLearner()).startsWith("e-prop");
            var frozen =
                    learning.setLearningMode(
                            SetLearningModeRequest.newBuilder()
                                    .setSessionId(id)
                                    .setMode(LearningMode.LEARNING_MODE_FROZEN)
                                    .build());
            assertThat(frozen.getMode()).isEqualTo(LearningMode.LEARNING_MODE_FROZEN);
            assertThat(sessions.getSession(sid).getState())
                    .isEqualTo(SessionState.SESSION_STATE_PAUSED);
            SetLearningModeRequest enable =
                    SetLearningModeRequest.newBuilder()
                            .setSessionId(id)
                            .setMode(LearningMode.LEARNING_MODE_ENABLED)
                            .build();
            assertThatThrownBy(() -> learning.setLearningMode(enable))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION))
                    .hasMessageContaining("FROZEN");
            learning.setLearningMode(
                    SetLearningModeRequest.newBuilder()
                            .setSessionId(id)
                            .setMode(LearningMode.LEARNING_MODE_PAUSED)
                            .build());
            assertThat(learning.setLearningMode(enable).getMode())
                    .isEqualTo(LearningMode.LEARNING_MODE_ENABLED);
            assertThat(sessions.getSession(sid).getState())
                    .isEqualTo(SessionState.SESSION_STATE_LEARNING);
            assertThatThrownBy(
                            () ->
                                    learning.setLearningMode(
                                            SetLearningModeRequest.newBuilder()
                                                    .setSessionId(id)
                                                    .build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }

    @Test
    void shouldLowerTheDecodeErrorWhenLearningIsEnabledComparedWithPaused() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            double[] error = new double[2];
            long[] updates = new long[2];
            for (int k = 0; k < 2; k++) {
                String id = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
                if (k == 0) {
                    learning.setLearningParameters(
                            SetLearningParametersRequest.newBuilder()
                                    .setSessionId(id)
                                    .setLearningRate(0.01)
                                    .setUpdateIntervalSteps(20)
                                    .build());
                    learning.setLearningMode(
                            SetLearningModeRequest.newBuilder()
                                    .setSessionId(id)
                                    .setMode(LearningMode.LEARNING_MODE_ENABLED)
                                    .build());
                }
                Responses<IngestSummary> labels = new Responses<>();
                var l = IngestServiceGrpc.newStub(f.channel).pushLabels(labels);
                l.onNext(
                        org.spikeloop.proto.v1.LabelChunk.newBuilder()
                                .setSessionId(id)
                                .setLabelDim(2)
                                .addValues(0.5f)
                                .addValues(-0.5f)
                                .addTimestamps(0.0)
                                .build());
                l.onCompleted();
                assertThat(labels.await().isOk()).isTrue();
                Responses<IngestSummary> summary = new Responses<>();
                var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
                for (int c = 0; c < 30; c++) {
                    in.onNext(IngestGrpcServiceTest.chunk(id, 4, 100, 1.0 + c * 0.1, 1f));
                }
                in.onCompleted();
                assertThat(summary.await().isOk()).isTrue();
                SessionId sid = SessionId.newBuilder().setId(id).build();
                long end = System.nanoTime() + 10_000_000_000L;
                while (sessions.getSession(sid).getSteps() < 3000 && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                var state = learning.getLearningState(sid);
                error[k] = state.getRecentError();
                updates[k] = state.getUpdateCount();
            }
            assertThat(updates[0]).isGreaterThan(100);
            assertThat(updates[1]).isZero();
            assertThat(error[0]).isLessThan(error[1] * 0.5);
        }
    }
}
