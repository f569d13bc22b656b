package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.LoadCheckpointRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SnapshotRequest;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.server.session.CheckpointStore;
import org.spikeloop.snn.checkpoint.Checkpoint;

class SessionGrpcServiceTest {
    @TempDir Path dir;

    private static Status.Code code(Throwable e) {
        return Status.fromThrowable(e).getCode();
    }

    @Test
    void shouldCreateGetListAndStopASession() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            var s = stub.createSession(InProcessFixture.session(4, 16, 2));
            assertThat(s.getId()).startsWith("s-");
            assertThat(s.getState()).isEqualTo(SessionState.SESSION_STATE_RUNNING);
            assertThat(s.getSpec().getChannelCount()).isEqualTo(4);
            assertThat(s.getSpec().getDecoder().getArchitecture().getHidden()).isEqualTo(16);
            SessionId id = SessionId.newBuilder().setSessionId(s.getId()).build();
            assertThat(stub.getSession(id).getId()).isEqualTo(s.getId());
            assertThat(
                            stub.listSessions(ListSessionsRequest.getDefaultInstance())
                                    .getSessionsCount())
                    .isEqualTo(1);
            assertThat(stub.stopSession(id).getState())
                    .isEqualTo(SessionState.SESSION_STATE_STOPPED);
            assertThat(
                            stub.listSessions(ListSessionsRequest.getDefaultInstance())
                                    .getSessionsCount())
                    .isZero();
        }
    }

    @Test
    void shouldPrefixSessionIdsWithTheReplicaId() throws Exception {
        Properties p = new Properties();
        p.setProperty("replica.id", "spikeloop-1");
        try (InProcessFixture f = new InProcessFixture(dir, false, p)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            var s = stub.createSession(InProcessFixture.session(4, 16, 2));
            assertThat(s.getId()).matches("spikeloop-1\\.s-[0-9a-f]{12}");
            assertThat(
                            stub.getSession(SessionId.newBuilder().setSessionId(s.getId()).build())
                                    .getId())
                    .isEqualTo(s.getId());
        }
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownSession() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            assertThatThrownBy(
                            () ->
                                    stub.getSession(
                                            SessionId.newBuilder().setSessionId("s-nope").build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND))
                    .hasMessageContaining("s-nope");
        }
    }

    @Test
    void shouldRefuseTooManySessionsWithResourceExhausted() throws Exception {
        Properties p = new Properties();
        p.setProperty("limits.maxSessions", "2");
        try (InProcessFixture f = new InProcessFixture(dir, false, p)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            stub.createSession(InProcessFixture.session(4, 8, 2));
            stub.createSession(InProcessFixture.session(4, 8, 2));
            assertThatThrownBy(() -> stub.createSession(InProcessFixture.session(4, 8, 2)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
                    .hasMessageContaining("limits.maxSessions = 2");
        }
    }

    @Test
    void shouldNameTheFieldOfAnInvalidSpec() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            CreateSessionRequest zeroChannels = InProcessFixture.session(0, 8, 2);
            assertThatThrownBy(() -> stub.createSession(zeroChannels))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.channel_count");
            var noDecoder = zeroChannels.toBuilder();
            noDecoder
                    .getSpecBuilder()
                    .setChannelCount(4)
                    .setDecoder(DecoderSpec.getDefaultInstance());
            assertThatThrownBy(() -> stub.createSession(noDecoder.build()))
                    .hasMessageContaining("spec.decoder");
            var badRate = InProcessFixture.session(4, 8, 2).toBuilder();
            badRate.getSpecBuilder().setSampleRateHz(-5);
            assertThatThrownBy(() -> stub.createSession(badRate.build()))
                    .hasMessageContaining("spec.sample_rate_hz");
            var pathCheckpoint = InProcessFixture.session(4, 8, 2).toBuilder();
            pathCheckpoint
                    .getSpecBuilder()
                    .setDecoder(DecoderSpec.newBuilder().setCheckpoint("../etc/passwd"));
            assertThatThrownBy(() -> stub.createSession(pathCheckpoint.build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("no path");
        }
    }

    @Test
    void shouldRefuseADecisionOutletWithoutMarkerLabelsAndCreateNoSession() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            var spec = InProcessFixture.session(4, 8, 2).toBuilder();
            spec.getSpecBuilder()
                    .setLslDecisions(
                            org.spikeloop.proto.v1.LslOutletSpec.newBuilder().setName("d"));
            assertThatThrownBy(() -> stub.createSession(spec.build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.lsl_decisions: decisions need trial windows");
            assertThat(
                            stub.listSessions(
                                            org.spikeloop.proto.v1.ListSessionsRequest
                                                    .getDefaultInstance())
                                    .getSessionsCount())
                    .isZero();
        }
    }

    @Test
    void shouldRequireAStreamNameForAnLslSource() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            var lsl = InProcessFixture.session(4, 8, 2).toBuilder();
            lsl.getSpecBuilder().setSource(SourceSpec.newBuilder().setKind(SourceKind.SOURCE_LSL));
            assertThatThrownBy(() -> stub.createSession(lsl.build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.source.lsl_stream_name");
        }
    }

    /** A registry checkpoint of a 4 → 16 → 2 decoder at 1 kHz, snapshotted from a session. */
    private static String registeredCheckpoint(InProcessFixture f) {
        return registeredCheckpoint(f, 5);
    }

    private static String registeredCheckpoint(InProcessFixture f, long seed) {
        var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
        var spec = InProcessFixture.session(4, 16, 2).toBuilder();
        spec.getSpecBuilder().getDecoderBuilder().getArchitectureBuilder().setSeed(seed);
        String donor = sessions.createSession(spec.build()).getId();
        String id =
                LearningServiceGrpc.newBlockingStub(f.channel)
                        .snapshotCheckpoint(
                                SnapshotRequest.newBuilder().setSessionId(donor).build())
                        .getContentId();
        sessions.stopSession(SessionId.newBuilder().setSessionId(donor).build());
        return id;
    }

    private static CreateSessionRequest fromRegistry(int channels, String id, int outputs) {
        var b = InProcessFixture.session(channels, 8, 2).toBuilder();
        b.getSpecBuilder()
                .setDecoder(DecoderSpec.newBuilder().setRegistryId(id).setOutputs(outputs));
        return b.build();
    }

    @Test
    void shouldCreateASessionFromARegistryIdAsItsActiveCheckpoint() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            var learning = LearningServiceGrpc.newBlockingStub(f.channel);
            String ck = registeredCheckpoint(f);
            var s = stub.createSession(fromRegistry(4, ck, 2));
            assertThat(s.getState()).isEqualTo(SessionState.SESSION_STATE_RUNNING);
            assertThat(s.getSpec().getDecoder().getRegistryId()).isEqualTo(ck);
            SessionId id = SessionId.newBuilder().setSessionId(s.getId()).build();
            assertThat(learning.getLearningState(id).getActiveCheckpoint()).isEqualTo(ck);
            var checkpoints = f.app.governance().governor().checkpoints();
            assertThat(f.app.governance().registry().roles(s.getId()).active()).isEqualTo(ck);
            // Rollback starts from it: after loading other weights, a rollback returns to it.
            String other = registeredCheckpoint(f, 99);
            var loaded =
                    learning.loadCheckpoint(
                            LoadCheckpointRequest.newBuilder()
                                    .setSessionId(s.getId())
                                    .setCheckpoint(other)
                                    .build());
            assertThat(loaded.getRollbackDepth()).isEqualTo(1);
            assertThat(learning.rollBack(id).getActiveCheckpoint()).isEqualTo(ck);
            assertThat(f.app.governance().registry().roles(s.getId()).active()).isEqualTo(ck);
            // A rollback history the stop must forget.
            learning.loadCheckpoint(
                    LoadCheckpointRequest.newBuilder()
                            .setSessionId(s.getId())
                            .setCheckpoint(other)
                            .build());
            assertThat(checkpoints.rollbackDepth(s.getId())).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("audit.log"))).contains("governance.start");
            stub.stopSession(id);
            assertThat(checkpoints.rollbackDepth(s.getId())).isZero(); // forgotten on stop
        }
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownRegistryId() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            assertThatThrownBy(() -> stub.createSession(fromRegistry(4, "ab".repeat(32), 0)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND))
                    .hasMessageContaining("spec.decoder.registry_id")
                    .hasMessageContaining("ab".repeat(32));
            assertThat(f.app.sessions().list()).isEmpty();
        }
    }

    @Test
    void shouldAnswerDataLossForACorruptedRegistryCheckpoint() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            String ck = registeredCheckpoint(f);
            Path file = f.app.governance().registry().dir().resolve("checkpoints/" + ck + ".ckpt");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 5] ^= 0x5a; // a flipped bit in the weights
            Files.write(file, bytes);
            assertThatThrownBy(() -> stub.createSession(fromRegistry(4, ck, 0)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.DATA_LOSS))
                    .hasMessageContaining("spec.decoder.registry_id")
                    .hasMessageContaining(ck);
            assertThat(f.app.sessions().list()).isEmpty();
        }
    }

    @Test
    void shouldAnswerInvalidArgumentForARegistryCheckpointOfAnotherShape() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            String ck = registeredCheckpoint(f);
            assertThatThrownBy(() -> stub.createSession(fromRegistry(5, ck, 0)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.channel_count: 5 channels")
                    .hasMessageContaining("has 4 inputs");
            assertThatThrownBy(() -> stub.createSession(fromRegistry(4, ck, 3)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.decoder.outputs: the session expects 3 outputs")
                    .hasMessageContaining("has 2");
            var slower = fromRegistry(4, ck, 2).toBuilder();
            slower.getSpecBuilder().setSampleRateHz(500);
            assertThatThrownBy(() -> stub.createSession(slower.build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.sample_rate_hz");
            assertThatThrownBy(() -> stub.createSession(fromRegistry(4, "", 0)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.decoder.registry_id");
            assertThat(f.app.sessions().list()).isEmpty();
        }
    }

    @Test
    void shouldStillCreateASessionFromALegacyCheckpointFileName() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            String ck = registeredCheckpoint(f);
            Checkpoint c = f.app.governance().registry().load(ck);
            new CheckpointStore(f.app.config().checkpointDir()).write("field", "legacy.ckpt", c);
            var b = InProcessFixture.session(4, 8, 2).toBuilder();
            b.getSpecBuilder().setDecoder(DecoderSpec.newBuilder().setCheckpoint("legacy.ckpt"));
            var s = stub.createSession(b.build());
            assertThat(s.getState()).isEqualTo(SessionState.SESSION_STATE_RUNNING);
            assertThat(s.getSpec().getDecoder().getCheckpoint()).isEqualTo("legacy.ckpt");
            assertThat(
                            LearningServiceGrpc.newBlockingStub(f.channel)
                                    .getLearningState(
                                            SessionId.newBuilder().setSessionId(s.getId()).build())
                                    .getActiveCheckpoint())
                    .isEqualTo(ck);
            // The file form does not set registry roles (its file need not be listed).
            assertThat(f.app.governance().registry().roles(s.getId()).active()).isNull();
            var wrong = b.clone();
            wrong.getSpecBuilder().setChannelCount(6);
            assertThatThrownBy(() -> stub.createSession(wrong.build()))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("spec.channel_count");
        }
    }
}
