package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.config.ServerConfig;
import picocli.CommandLine;

/**
 * {@code spikeloop serve} through the real command line: a short run, and each user mistake ending
 * in one line on stderr and exit code 2, with nothing left behind by a start that failed.
 */
class ServeCommandTest {
    @TempDir Path dir;

    /** serve with everything it writes inside {@link #dir}, and no metrics, unless given. */
    private CliRun serve(String... args) {
        List<String> argv = new ArrayList<>(List.of("serve"));
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--metrics-port", "-1");
        defaults.put("--audit-log", dir.resolve("audit.log").toString());
        defaults.put("--checkpoints-dir", dir.resolve("ck").toString());
        defaults.put("--recordings-dir", dir.resolve("rec").toString());
        defaults.forEach(
                (option, value) -> {
                    if (!List.of(args).contains(option)) {
                        argv.add(option);
                        argv.add(value);
                    }
                });
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    private static void assertOneLine(CliRun r, String start) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("spikeloop serve: " + start);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    private void assertNothingLeftBehind() throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("files a failed start left behind").isEmpty();
        }
    }

    @Test
    void shouldServeForTheGivenDurationAndPrintWhereItListens() {
        CliRun r = serve("--port", "0", "--metrics-port", "0", "--duration", "0.5");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dir.resolve("rec")).isDirectory();
        assertThat(r.out())
                .containsPattern(
                        "spikeloop serve: grpc=127\\.0\\.0\\.1:\\d+ tls=off auth=off"
                                + " metrics=http://127\\.0\\.0\\.1:\\d+/metrics"
                                + " page=http://127\\.0\\.0\\.1:\\d+/");
    }

    @Test
    void shouldRefuseABusyGrpcPortNamingItAndLeaveNothingBehind() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            CliRun r = serve("--port", Integer.toString(port));

            assertOneLine(r, "gRPC port 127.0.0.1:" + port + " is in use");
            assertThat(r.err()).contains("--port 0 for any free port");
        }
        assertNothingLeftBehind();
    }

    @Test
    void shouldRefuseABusyMetricsPortNamingIt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            CliRun r = serve("--port", "0", "--metrics-port", Integer.toString(port));

            assertOneLine(r, "metrics port 127.0.0.1:" + port + " is in use");
        }
        assertNothingLeftBehind();
    }

    @Test
    void shouldRefuseToStartOnACutRegistryIndexInOneLineNamingTheFile() throws IOException {
        Path index =
                Files.createDirectories(dir.resolve("ck").resolve("registry"))
                        .resolve("index.json");
        Files.writeString(
                index, "{\n  \"format\": \"spikeloop-registry\",\n  \"version\": 1,\n  \"ent");

        CliRun r = serve("--port", "0");

        assertOneLine(r, index.toAbsolutePath() + ": malformed index");
        assertThat(index).exists(); // a damaged index is the operator's to repair, never replaced
    }

    @Test
    void shouldRefuseAMissingConfigFile() throws IOException {
        CliRun r = serve("--config", dir.resolve("none.properties").toString());

        assertOneLine(r, "config file " + dir.resolve("none.properties") + ": cannot read");
        assertNothingLeftBehind();
    }

    @Test
    void shouldRefuseAnUnreadableConfigFile() throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("server.properties"));

        CliRun r = serve("--config", notAFile.toString());

        assertOneLine(r, "config file " + notAFile + ": cannot read");
    }

    @Test
    void shouldNameABadConfigKey() throws IOException {
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, "limits.maxSesions=3\n");

        CliRun r = serve("--config", cfg.toString());

        assertOneLine(r, "limits.maxSesions: unknown configuration key");
    }

    @Test
    void shouldRefuseAMissingTokensFile() {
        CliRun r = serve("--port", "0", "--tokens", dir.resolve("tokens").toString());

        assertOneLine(r, "auth.tokensFile " + dir.resolve("tokens") + ": cannot read");
    }

    @Test
    void shouldRefuseAnAuditLogThatCannotBeWrittenAndLeaveNothingBehind() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");

        CliRun r = serve("--port", "0", "--audit-log", file.resolve("audit.log").toString());

        assertOneLine(r, "audit log " + file.resolve("audit.log") + ": cannot open for append");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void shouldRefuseAnImpossiblePortNamingTheOption() {
        assertOneLine(serve("--port", "70000"), "--port: must be 0..65535, got 70000");
    }

    @Test
    void shouldRefuseANonLoopbackBindWithoutTlsAndTokens() {
        CliRun r = serve("--host", "0.0.0.0", "--port", "0");

        assertOneLine(r, "grpc.host: refusing to listen on non-loopback");
    }

    @Test
    void shouldRefuseABadReplicaIdNamingTheKey() {
        CliRun r = serve("--replica-id", "Spikeloop_1");

        assertOneLine(r, "replica.id: must be a DNS label");
        assertThat(r.err()).contains("'Spikeloop_1'");
    }

    @Test
    void shouldShowTheServersOwnDefaults() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();

        assertThat(ServerConfig.apply(ServerConfig.defaults(), serve.settings(option -> true)))
                .isEqualTo(ServerConfig.defaults());
    }

    @Test
    void shouldLetOnlyGivenOptionsOverrideTheConfigFile() throws IOException {
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, "limits.maxSessions=3\nlimits.maxWatchersPerSession=5\n");
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        cli.parseArgs("--config", cfg.toString(), "--max-watchers", "2");

        ServerConfig c =
                ServerConfig.apply(
                        ServerConfig.load(cfg),
                        serve.settings(cli.getParseResult()::hasMatchedOption));

        assertThat(c.maxSessions()).isEqualTo(3);
        assertThat(c.maxWatchersPerSession()).isEqualTo(2);
    }

    @Test
    void shouldPrintTheHealthPortWhenItIsOn() throws Exception {
        int healthPort;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            healthPort = s.getLocalPort();
        }
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, "health.port=" + healthPort + "\nreplica.id=spikeloop-0\n");

        CliRun r = serve("--config", cfg.toString(), "--port", "0", "--duration", "0.3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("metrics=off health=127.0.0.1:" + healthPort);
    }
}
