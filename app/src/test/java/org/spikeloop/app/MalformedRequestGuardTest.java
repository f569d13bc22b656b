package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;

class MalformedRequestGuardTest {
    @TempDir Path dir;

    /** Sends raw bytes as the request (a real HTTP/2 transport serialises them as given). */
    private static final MethodDescriptor.Marshaller<byte[]> RAW =
            new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    try {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };

    @Test
    void shouldAnswerInvalidArgumentNamingTheMethodForBytesThatDoNotParse() throws Exception {
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, new Properties())) {
            MethodDescriptor<byte[], byte[]> raw =
                    SessionServiceGrpc.getGetSessionMethod().toBuilder(RAW, RAW).build();
            byte[] truncated = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
            assertThatThrownBy(
                            () ->
                                    ClientCalls.blockingUnaryCall(
                                            f.channel, raw, io.grpc.CallOptions.DEFAULT, truncated))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("malformed request")
                    .hasMessageContaining("spikeloop.v1.SessionService/GetSession");
            // A well-formed request on the same server still works.
            var stub = SessionServiceGrpc.newBlockingStub(f.channel);
            assertThatThrownBy(
                            () ->
                                    stub.getSession(
                                            SessionId.newBuilder().setSessionId("s-x").build()))
                    .satisfies(
                            e ->
                                    assertThat(Status.fromThrowable(e).getCode())
                                            .isEqualTo(Status.Code.NOT_FOUND));
        }
    }
}
