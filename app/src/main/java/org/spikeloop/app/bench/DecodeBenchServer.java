package org.spikeloop.app.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.server.config.ServerConfig;

/**
 * The server both halves of {@code bench decode} measure, and what they read back from its files.
 * Each half runs a session that the server records, then a job on that recording; this class owns
 * the parts they share, so both measure the same server: started in process on loopback (gRPC on an
 * ephemeral port, no metrics endpoint, recording on), its files in a work directory (the caller's,
 * kept; or a temporary one, removed at the end), and a plaintext channel to it.
 *
 * <p>Control plane; runs on the caller's thread and allocates freely.
 */
final class DecodeBenchServer {
    private DecodeBenchServer() {}

    /** One half's measurement against the running server. */
    @FunctionalInterface
    interface Measurement<T> {
        T measure(SpikeloopApplication app, ManagedChannel channel) throws Exception;
    }

    /**
     * Starts the server, runs {@code measurement} with a channel to it, then stops both.
     *
     * @param workDir where the server's files go, or null for a temporary directory removed after
     * @param tempPrefix the temporary directory's name prefix
     */
    static <T> T run(Path workDir, String tempPrefix, Measurement<T> measurement) throws Exception {
        Path work =
                workDir != null
                        ? Files.createDirectories(workDir)
                        : Files.createTempDirectory(tempPrefix);
        try (SpikeloopApplication app = SpikeloopApplication.start(config(work), null)) {
            ManagedChannel channel =
                    NettyChannelBuilder.forAddress("127.0.0.1", app.grpcPort())
                            .usePlaintext()
                            .build();
            try {
                return measurement.measure(app, channel);
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            if (workDir == null) {
                ScratchDirectory.delete(work);
            }
        }
    }

    /** The XDF file the server recorded the session into (complete once the session stopped). */
    static Path recordingOf(SpikeloopApplication app, String sessionId) throws IOException {
        Path dir = app.config().recordingsDir();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            p -> {
                                String n = p.getFileName().toString();
                                return n.startsWith(sessionId + "-") && n.endsWith(".xdf");
                            })
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no recording of " + sessionId + " in " + dir));
        }
    }

    /** The report the finished job wrote into the server's registry. */
    static JsonObject reportOf(SpikeloopApplication app, JobInfo job) throws IOException {
        Path reports = app.governance().registry().reportsDir();
        return JsonParser.parseString(Files.readString(reports.resolve(job.getReport())))
                .getAsJsonObject();
    }

    private static ServerConfig config(Path work) {
        Properties p = new Properties();
        p.setProperty("grpc.port", "0");
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", work.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", work.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", work.resolve("recordings").toString());
        p.setProperty("recording.enabled", "true");
        return ServerConfig.apply(ServerConfig.defaults(), p);
    }
}
