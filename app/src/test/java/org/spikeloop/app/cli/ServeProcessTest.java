package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.app.Main;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SnapshotRequest;

/**
 * {@code spikeloop serve} as a process of its own, where the operating system's limits apply: a low
 * {@code ulimit -n} and a parent that exits during start-up.
 */
class ServeProcessTest {
    private static final Pattern LINE = Pattern.compile("grpc=127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern METRICS = Pattern.compile("metrics=(http://\\S+)");

    @TempDir Path dir;

    private String javaCommand() {
        return javaCommand("-1");
    }

    private String javaCommand(String metricsPort) {
        return "'"
                + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path")
                + "' "
                + Main.class.getName()
                + " serve --port 0 --metrics-port "
                + metricsPort
                + " --exit-with-parent"
                + " --audit-log '"
                + dir.resolve("audit.log")
                + "' --checkpoint-dir '"
                + dir.resolve("ck")
                + "' --recordings-dir '"
                + dir.resolve("recordings")
                + "'";
    }

    @Test
    void shouldExitWhenItsParentExitsDuringStartUp() throws Exception {
        // The shell starts the server in the background and exits at once: the server's parent
        // is gone before it has even loaded its classes.
        Process shell =
                new ProcessBuilder(
                                "sh",
                                "-c",
                                javaCommand()
                                        + " > '"
                                        + dir.resolve("out")
                                        + "' 2> '"
                                        + dir.resolve("err")
                                        + "' & echo $!")
                        .redirectErrorStream(true)
                        .start();
        long pid =
                Long.parseLong(
                        new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .strip());
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
        ProcessHandle server = ProcessHandle.of(pid).orElse(null);
        if (server != null) {
            boolean ended =
                    server.onExit()
                            .thenApply(p -> true)
                            .completeOnTimeout(false, 90, TimeUnit.SECONDS)
                            .get();
            if (!ended) {
                server.destroyForcibly();
            }
            assertThat(ended)
                    .as("the orphaned server exits: %s", Files.readString(dir.resolve("err")))
                    .isTrue();
        }
        assertThat(Files.readString(dir.resolve("out"))).contains("spikeloop serve: grpc=");
    }

    @Test
    void shouldKeepCreatingRecordingAndSnapshottingSessionsUnderAConnectionFloodAtALowFdLimit()
            throws Exception {
        Path cfg = dir.resolve("server.properties");
        // 24 gRPC + 16 HTTP connections + 100 + 16 x 2 sessions = 172 descriptors fit in 256.
        Files.writeString(
                cfg,
                "transport.maxConnections=24\ntransport.maxConnectionsPerPeer=8\n"
                        + "http.maxConnections=16\nlimits.maxSessions=2\nmetrics.port=0\n");
        Process server =
                new ProcessBuilder(
                                "sh",
                                "-c",
                                "ulimit -n 256 && exec "
                                        + javaCommand("0")
                                        + " --config '"
                                        + cfg
                                        + "'")
                        .redirectError(dir.resolve("err").toFile())
                        .start();
        ManagedChannel channel = null;
        List<Socket> flood = new ArrayList<>();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as(Files.readString(dir.resolve("err"))).isNotNull();
            Matcher m = LINE.matcher(line);
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            // 400 connections from two other hosts: more than the process may open at all.
            for (String from : List.of("127.0.0.2", "127.0.0.3")) {
                for (int i = 0; i < 200; i++) {
                    flood.add(
                            new Socket(
                                    InetAddress.getLoopbackAddress(),
                                    port,
                                    InetAddress.getByName(from),
                                    0));
                }
            }
            // Each peer keeps 8; the other 384 were closed at accept, each descriptor given back.
            Matcher metrics = METRICS.matcher(line);
            assertThat(metrics.find()).as(line).isTrue();
            Pattern refused =
                    Pattern.compile(
                            "spikeloop_connections_refused_total\\{[^}]*listener=\"grpc\""
                                    + "[^}]*reason=\"per_peer\"[^}]*\\} 384\\.0");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String scrape = "";
            while (!refused.matcher(scrape).find() && System.nanoTime() < end) {
                scrape = scrape(metrics.group(1));
                Thread.sleep(100);
            }
            assertThat(refused.matcher(scrape).find())
                    .as("%s%n%s", Files.readString(dir.resolve("err")), scrape)
                    .isTrue();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            var session =
                    SessionServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(30, TimeUnit.SECONDS)
                            .createSession(
                                    CreateSessionRequest.newBuilder()
                                            .setSpec(
                                                    SessionSpec.newBuilder()
                                                            .setChannelCount(4)
                                                            .setSampleRateHz(1000)
                                                            .setDecoder(
                                                                    DecoderSpec.newBuilder()
                                                                            .setArchitecture(
                                                                                    Architecture
                                                                                            .newBuilder()
                                                                                            .setHidden(
                                                                                                    8)
                                                                                            .setOutputs(
                                                                                                    2))))
                                            .build());
            try (Stream<Path> files = Files.list(dir.resolve("recordings"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anySatisfy(n -> assertThat(n).startsWith(session.getId()));
            }
            var snapshot =
                    LearningServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(30, TimeUnit.SECONDS)
                            .snapshotCheckpoint(
                                    SnapshotRequest.newBuilder()
                                            .setSessionId(session.getId())
                                            .build());
            assertThat(snapshot.getContentId()).isNotEmpty();
            Thread.sleep(3 * 200); // a few parent checks: the parent (this JVM) is alive
            assertThat(server.isAlive()).isTrue();
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            if (channel != null) {
                channel.shutdownNow();
            }
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One client, so its scrapes share one kept-alive connection (the HTTP caps count them). */
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static String scrape(String url) throws Exception {
        return HTTP.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
