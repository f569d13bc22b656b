package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir Path dir;

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new ServeCommand()).execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void shouldRefuseANonLoopbackBindWithoutTlsAndTokens() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                run(
                        out,
                        err,
                        "--host",
                        "0.0.0.0",
                        "--port",
                        "0",
                        "--audit-log",
                        dir.resolve("a.log").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("grpc.host: refusing to listen on non-loopback");
    }

    @Test
    void shouldRefuseToStartOnACutRegistryIndexInOneLineNamingTheFile() throws Exception {
        Path registry = Files.createDirectories(dir.resolve("checkpoints").resolve("registry"));
        Path index = registry.resolve("index.json");
        Files.writeString(
                index, "{\n  \"format\": \"spikeloop-registry\",\n  \"version\": 1,\n  \"ent");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                run(
                        new ByteArrayOutputStream(),
                        err,
                        "--port",
                        "0",
                        "--metrics-port",
                        "-1",
                        "--checkpoint-dir",
                        dir.resolve("checkpoints").toString(),
                        "--audit-log",
                        dir.resolve("a.log").toString(),
                        "--duration",
                        "0.1");
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(text).isEqualTo(2);
        assertThat(text.strip())
                .startsWith("spikeloop serve: " + index.toAbsolutePath() + ": malformed index")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void shouldNameABadConfigKey() throws Exception {
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, "limits.maxSesions=3\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(new ByteArrayOutputStream(), err, "--config", cfg.toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("limits.maxSesions: unknown configuration key");
    }

    @Test
    void shouldServeForTheGivenDurationAndPrintWhereItListens() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc =
                run(
                        out,
                        new ByteArrayOutputStream(),
                        "--port",
                        "0",
                        "--metrics-port",
                        "0",
                        "--duration",
                        "0.5",
                        "--audit-log",
                        dir.resolve("a.log").toString(),
                        "--checkpoint-dir",
                        dir.resolve("ck").toString(),
                        "--recordings-dir",
                        dir.resolve("rec").toString());
        assertThat(rc).isZero();
        assertThat(dir.resolve("rec")).isDirectory();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern(
                        "spikeloop serve: grpc=127\\.0\\.0\\.1:\\d+ tls=off auth=off metrics=http://127\\.0\\.0\\.1:\\d+/metrics");
    }

    @Test
    void shouldRefuseABadReplicaIdNamingTheKey() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                run(
                        new ByteArrayOutputStream(),
                        err,
                        "--replica-id",
                        "Spikeloop_1",
                        "--audit-log",
                        dir.resolve("a.log").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("replica.id: must be a DNS label")
                .contains("'Spikeloop_1'");
    }

    @Test
    void shouldPrintTheHealthPortWhenItIsOn() throws Exception {
        int healthPort;
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
            healthPort = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, "health.port=" + healthPort + "\nreplica.id=spikeloop-0\n");
        int rc =
                run(
                        out,
                        new ByteArrayOutputStream(),
                        "--config",
                        cfg.toString(),
                        "--port",
                        "0",
                        "--metrics-port",
                        "-1",
                        "--duration",
                        "0.3",
                        "--audit-log",
                        dir.resolve("a.log").toString(),
                        "--checkpoint-dir",
                        dir.resolve("ck").toString(),
                        "--recordings-dir",
                        dir.resolve("rec").toString());
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("metrics=off health=127.0.0.1:" + healthPort);
    }
}
