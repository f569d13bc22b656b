package org.spikeloop.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;

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
            SessionId id = SessionId.newBuilder().setId(s.getId()).build();
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
            assertThat(stub.getSession(SessionId.newBuilder().setId(s.getId()).build()).getId())
                    .isEqualTo(s.getId());
        }
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownSession() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            assertThatThrownBy(
                            () -> stub.getSession(SessionId.newBuilder().setId("s-nope").build()))
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
}
