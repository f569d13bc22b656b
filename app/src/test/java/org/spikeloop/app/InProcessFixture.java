package org.spikeloop.app;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.LiveEdgeSpec;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.server.config.ServerConfig;

/** The real application on the in-process transport, with real stubs. */
final class InProcessFixture implements AutoCloseable {
    static final String OPERATOR_TOKEN = "operator-token-0123456789";
    static final String VIEWER_TOKEN = "viewer-token-0123456789ab";

    final Path dir;
    final SpikeloopApplication app;
    final ManagedChannel channel;

    InProcessFixture(Path dir, boolean tokens, Properties extra) throws Exception {
        this(dir, tokens, extra, false);
    }

    /** The same application over Netty on 127.0.0.1 (real HTTP/2 flow control and size limits). */
    static InProcessFixture overLoopback(Path dir, Properties extra) throws Exception {
        return new InProcessFixture(dir, false, extra, true);
    }

    /** Over Netty on 127.0.0.1, with the test tokens. */
    static InProcessFixture overLoopbackWithTokens(Path dir, Properties extra) throws Exception {
        return new InProcessFixture(dir, true, extra, true);
    }

    private InProcessFixture(Path dir, boolean tokens, Properties extra, boolean loopback)
            throws Exception {
        this.dir = dir;
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("recordings").toString());
        if (tokens) {
            Path file = dir.resolve("tokens");
            Files.writeString(
                    file,
                    "# test tokens\nalice operator "
                            + OPERATOR_TOKEN
                            + "\nbob viewer "
                            + VIEWER_TOKEN
                            + "\n");
            p.setProperty("auth.tokensFile", file.toString());
        }
        p.putAll(extra);
        if (loopback) {
            p.setProperty("grpc.port", "0");
            ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
            app = SpikeloopApplication.start(cfg, null);
            channel =
                    io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", app.grpcPort())
                            .usePlaintext()
                            .maxInboundMessageSize(64 << 20)
                            .build();
        } else {
            ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
            String name = InProcessServerBuilder.generateName();
            app = SpikeloopApplication.start(cfg, InProcessServerBuilder.forName(name));
            channel = InProcessChannelBuilder.forName(name).build();
        }
    }

    InProcessFixture(Path dir) throws Exception {
        this(dir, false, new Properties());
    }

    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata h = new Metadata();
        h.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    static CreateSessionRequest session(int channels, int hidden, int outputs) {
        return CreateSessionRequest.newBuilder()
                .setSpec(
                        SessionSpec.newBuilder()
                                .setName("test")
                                .setChannelCount(channels)
                                .setSampleRateHz(1000)
                                .setDecoder(
                                        DecoderSpec.newBuilder()
                                                .setArchitecture(
                                                        Architecture.newBuilder()
                                                                .setHidden(hidden)
                                                                .setOutputs(outputs)
                                                                .setSeed(5)))
                                // The tests push blocks of samples faster than real time and
                                // count every frame: no skipping to the live edge on a busy
                                // machine (EngineAgentTest and test_live_edge.py test that).
                                .setLiveEdge(LiveEdgeSpec.newBuilder().setDecodeEverything(true)))
                .build();
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        app.close();
    }
}
