package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.server.governance.WeightGuard;
import org.spikeloop.server.session.Session;

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

    private static CreateSessionRequest seeded(int hidden, long seed) {
        CreateSessionRequest r = InProcessFixture.session(4, hidden, 2);
        return r.toBuilder()
                .setSpec(
                        r.getSpec().toBuilder()
                                .setDecoder(
                                        DecoderSpec.newBuilder()
                                                .setArchitecture(
                                                        r
                                                                .getSpec()
                                                                .getDecoder()
                                                                .getArchitecture()
                                                                .toBuilder()
                                                                .setSeed(seed))))
                .build();
    }

    private static Path registry(InProcessFixture f) {
        return f.dir.resolve("checkpoints/registry");
    }

    private static JsonObject index(InProcessFixture f) throws Exception {
        return JsonParser.parseString(Files.readString(registry(f).resolve("index.json")))
                .getAsJsonObject();
    }

    private static JsonObject entry(InProcessFixture f, String id) throws Exception {
        for (var e : index(f).getAsJsonArray("entries")) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(id + " is not in the registry index");
    }

    private static String activeRole(InProcessFixture f, String session) throws Exception {
        JsonObject s = index(f).getAsJsonObject("sessions").getAsJsonObject(session);
        return s == null || s.get("active").isJsonNull() ? null : s.get("active").getAsString();
    }

    @Test
    void shouldSnapshotLoadAndRollBackThroughTheRegistryChangingTheDecodedOutput()
            throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            // A second decoder with other weights, snapshotted into the registry.
            String donor = sessions.createSession(seeded(16, 77)).getId();
            var info =
                    learning.snapshotCheckpoint(
                            SnapshotRequest.newBuilder()
                                    .setSessionId(donor)
                                    .setReason("donor weights")
                                    .build());
            assertThat(info.getContentId()).hasSize(64);
            assertThat(info.getName()).isEqualTo("checkpoints/" + info.getContentId() + ".ckpt");
            assertThat(info.getKind()).isEqualTo("snapshot");
            assertThat(info.getCreator()).isEqualTo("anonymous");
            assertThat(info.getReason()).isEqualTo("donor weights");
            assertThat(Files.exists(registry(f).resolve(info.getName()))).isTrue();
            assertThat(entry(f, info.getContentId()).get("reason").getAsString())
                    .isEqualTo("donor weights");
            assertThat(activeRole(f, donor)).isEqualTo(info.getContentId());
            // The API says the same as the registry (issue 16: it kept the old id).
            assertThat(
                            learning.getLearningState(
                                            SessionId.newBuilder().setSessionId(donor).build())
                                    .getActiveCheckpoint())
                    .isEqualTo(info.getContentId());

            String id = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            float[] before = decode(f, id, 1.0);
            sessions.stopSession(SessionId.newBuilder().setSessionId(id).build());
            String id2 = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            var loaded =
                    learning.loadCheckpoint(
                            LoadCheckpointRequest.newBuilder()
                                    .setSessionId(id2)
                                    .setCheckpoint(info.getContentId())
                                    .build());
            assertThat(loaded.getActiveCheckpoint()).isEqualTo(info.getContentId());
            assertThat(loaded.getRollbackDepth()).isEqualTo(1);
            assertThat(activeRole(f, id2)).isEqualTo(info.getContentId());
            // The weights before the load were registered (parent: none, fresh session).
            String preLoad =
                    index(f).getAsJsonArray("entries").asList().stream()
                            .map(e -> e.getAsJsonObject())
                            .filter(e -> e.get("sessionId").getAsString().equals(id2))
                            .findFirst()
                            .orElseThrow()
                            .get("id")
                            .getAsString();
            float[] withDonor = decode(f, id2, 1.0);
            assertThat(withDonor).isNotEqualTo(before);
            var back = learning.rollBack(SessionId.newBuilder().setSessionId(id2).build());
            assertThat(back.getActiveCheckpoint()).isEqualTo(preLoad);
            assertThat(back.getRollbackDepth()).isZero();
            assertThat(activeRole(f, id2)).isEqualTo(preLoad);
            String audit = Files.readString(dir.resolve("audit.log"));
            assertThat(audit)
                    .contains("governance.snapshot")
                    .contains("governance.load")
                    .contains("governance.rollback");
        }
    }

    @Test
    void shouldRollBackAfterANonFiniteFaultToFiniteWeightsAndChangeTheActiveId() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            String donor = sessions.createSession(seeded(8, 11)).getId();
            String donorId =
                    learning.snapshotCheckpoint(
                                    SnapshotRequest.newBuilder().setSessionId(donor).build())
                            .getContentId();
            String id = sessions.createSession(InProcessFixture.session(4, 8, 2)).getId();
            String start =
                    learning.snapshotCheckpoint(
                                    SnapshotRequest.newBuilder().setSessionId(id).build())
                            .getContentId();
            learning.loadCheckpoint(
                    LoadCheckpointRequest.newBuilder()
                            .setSessionId(id)
                            .setCheckpoint(donorId)
                            .build());
            Session s = f.app.sessions().get(id);
            s.command(
                            e -> {
                                ((NetworkDecoder) e.decoder())
                                                .network()
                                                .liveParameter("readout.w_out")[0] =
                                        Float.NaN;
                                return null;
                            })
                    .get();
            int listed = index(f).getAsJsonArray("entries").size();
            var back = learning.rollBack(SessionId.newBuilder().setSessionId(id).build());
            assertThat(back.getActiveCheckpoint()).isEqualTo(start).isNotEqualTo(donorId);
            assertThat(activeRole(f, id)).isEqualTo(start);
            assertThat(WeightGuard.check(s.command(e -> e.exportParams()).get(), 1e9)).isNull();
            assertThat(index(f).getAsJsonArray("entries")).hasSize(listed);
            assertThat(Files.readString(dir.resolve("audit.log")))
                    .contains("governance.rollback")
                    .contains("non-finite: not exported or snapshotted");
            // A snapshot of NaN weights is refused and changes nothing.
            s.command(
                            e -> {
                                ((NetworkDecoder) e.decoder())
                                                .network()
                                                .liveParameter("readout.w_out")[0] =
                                        Float.NaN;
                                return null;
                            })
                    .get();
            assertThatThrownBy(
                            () ->
                                    learning.snapshotCheckpoint(
                                            SnapshotRequest.newBuilder().setSessionId(id).build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
            assertThat(activeRole(f, id)).isEqualTo(start);
        }
    }

    @Test
    void shouldRefuseUnknownCorruptedAndOtherArchitectureIdsChangingNothing() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            String small = sessions.createSession(InProcessFixture.session(4, 8, 2)).getId();
            String smallId =
                    learning.snapshotCheckpoint(
                                    SnapshotRequest.newBuilder().setSessionId(small).build())
                            .getContentId();
            String other = sessions.createSession(seeded(16, 12)).getId();
            var otherInfo =
                    learning.snapshotCheckpoint(
                            SnapshotRequest.newBuilder().setSessionId(other).build());
            Path file = registry(f).resolve(otherInfo.getName());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(file, bytes);

            String id = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            SessionId sid = SessionId.newBuilder().setSessionId(id).build();
            byte[] indexBefore = Files.readAllBytes(registry(f).resolve("index.json"));
            LoadCheckpointRequest.Builder load =
                    LoadCheckpointRequest.newBuilder().setSessionId(id);
            assertThatThrownBy(() -> learning.loadCheckpoint(load.setCheckpoint(smallId).build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("architecture");
            assertThatThrownBy(
                            () ->
                                    learning.loadCheckpoint(
                                            load.setCheckpoint(otherInfo.getContentId()).build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.DATA_LOSS))
                    .hasMessageContaining("checksum mismatch");
            assertThatThrownBy(
                            () ->
                                    learning.loadCheckpoint(
                                            load.setCheckpoint("ab".repeat(32)).build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND))
                    .hasMessageContaining("ab".repeat(32));
            assertThatThrownBy(() -> learning.loadCheckpoint(load.setCheckpoint("").build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("checkpoint");
            assertThatThrownBy(() -> learning.rollBack(sid))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
            assertThatThrownBy(
                            () ->
                                    learning.snapshotCheckpoint(
                                            SnapshotRequest.newBuilder()
                                                    .setSessionId(id)
                                                    .setName("mine.ckpt")
                                                    .build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("name");
            assertThat(Files.readAllBytes(registry(f).resolve("index.json")))
                    .isEqualTo(indexBefore);
            var state = learning.getLearningState(sid);
            assertThat(state.getActiveCheckpoint()).isEmpty();
            assertThat(state.getRollbackDepth()).isZero();
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
            SessionId sid = SessionId.newBuilder().setSessionId(id).build();
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
                SessionId sid = SessionId.newBuilder().setSessionId(id).build();
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

    @Test
    void shouldAnswerUnavailableInsteadOfHangingWhenTheEngineDoesNotTakeTheCommand()
            throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("engine.commandTimeoutMs", "300");
        try (InProcessFixture f = new InProcessFixture(dir, false, p)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            String id = sessions.createSession(InProcessFixture.session(4, 8, 2)).getId();
            SessionId sid = SessionId.newBuilder().setSessionId(id).build();
            Session s = f.app.sessions().get(id);
            // A stuck engine thread: a command that does not return until the test lets it.
            java.util.concurrent.CountDownLatch release =
                    new java.util.concurrent.CountDownLatch(1);
            var stuck =
                    s.command(
                            e -> {
                                try {
                                    return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                                } catch (InterruptedException ie) {
                                    Thread.currentThread().interrupt();
                                    return false;
                                }
                            });
            try {
                // Before: these waited for the engine without a bound (here: the deadline).
                var learning =
                        LearningServiceGrpc.newBlockingStub(f.channel)
                                .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> learning.getLearningState(sid))
                        .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.UNAVAILABLE))
                        .hasMessageContaining("session " + id)
                        .hasMessageContaining("did not take the command within 300 ms")
                        .hasMessageContaining("engine.commandTimeoutMs");
                assertThatThrownBy(
                                () ->
                                        learning.setLearningMode(
                                                SetLearningModeRequest.newBuilder()
                                                        .setSessionId(id)
                                                        .setMode(LearningMode.LEARNING_MODE_FROZEN)
                                                        .build()))
                        .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.UNAVAILABLE))
                        .hasMessageContaining("so it was not run");
                assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3.0);
                // The command the engine had taken is answered too: it may still take effect.
                assertThatThrownBy(stuck::join)
                        .hasMessageContaining("took the command but did not answer");
            } finally {
                release.countDown();
            }
            // The expired mode change never ran: still PAUSED (not FROZEN), the session RUNNING.
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            assertThat(learning.getLearningState(sid).getMode())
                    .isEqualTo(LearningMode.LEARNING_MODE_PAUSED);
            assertThat(sessions.getSession(sid).getState())
                    .isEqualTo(SessionState.SESSION_STATE_RUNNING);
        }
    }
}
