package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spikeloop.adapters.lsl.Lsl;

/**
 * Each command family's user mistakes, through the real command line: one line on stderr, {@code
 * spikeloop <command>: <what and why>}, and exit code 2; no stack trace unless {@code --verbose}.
 * ({@code serve} and {@code demo}, whose mistakes include busy ports, have their own tests; liblsl
 * missing is {@link LiblslMissingTest}.)
 */
class UserMistakesTest {
    @TempDir static Path dir;

    @BeforeAll
    static void files() throws IOException {
        // liblsl takes this file when it loads unless LSLAPICFG is set (the surefire config sets
        // it)
        if (System.getenv("LSLAPICFG") == null) {
            System.setProperty(
                    Lsl.PROP_CONFIG,
                    Path.of("..", "ops", "lsl", "lsl_api.cfg").toAbsolutePath().toString());
        }
        Files.writeString(dir.resolve("bad.json"), "{\"x\": 1");
        Files.writeString(dir.resolve("shape.json"), "{\"time_stamps\": 1, \"time_series\": 2}");
        Files.writeString(
                dir.resolve("samples.json"), "{\"time_stamps\": [], \"time_series\": []}");
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    /**
     * @param command the command's words after {@code spikeloop} ("" for the root)
     * @param expected the start of what follows {@code "spikeloop <command>: "}
     * @param args what follows the command's words
     */
    private static Arguments mistake(String command, String expected, String... args) {
        return Arguments.of(command, List.of(args), expected);
    }

    static Stream<Arguments> checkpoint() {
        return Stream.of(
                mistake(
                        "checkpoint init",
                        path("none.json") + ": no such file or directory",
                        "--spec",
                        path("none.json"),
                        "--seed",
                        "1",
                        "--out",
                        path("a.ckpt")),
                mistake(
                        "checkpoint init",
                        "(network) is not valid JSON",
                        "--spec",
                        path("bad.json"),
                        "--seed",
                        "1",
                        "--out",
                        path("a.ckpt")),
                mistake(
                        "checkpoint init",
                        "Missing required option: '--spec=SPEC.json'",
                        "--seed",
                        "1",
                        "--out",
                        path("a.ckpt")),
                mistake(
                        "checkpoint inspect",
                        path("none.ckpt") + ": no such checkpoint file",
                        path("none.ckpt")),
                mistake(
                        "checkpoint export",
                        path("none.ckpt") + ": no such checkpoint file",
                        path("none.ckpt"),
                        "--out",
                        path("o.npz")),
                mistake(
                        "checkpoint import",
                        path("none.npz"),
                        "--params",
                        path("none.npz"),
                        "--out",
                        path("a.ckpt")));
    }

    static Stream<Arguments> learning() {
        return Stream.of(
                mistake(
                        "forward",
                        path("none.ckpt") + ": no such checkpoint file",
                        "--checkpoint",
                        path("none.ckpt"),
                        "--data",
                        path("x.npz"),
                        "--out",
                        path("o.npz")),
                mistake(
                        "forward",
                        "Error: Missing required argument(s): --params=PARAMS.npz",
                        "--spec",
                        path("s.json"),
                        "--data",
                        path("x.npz"),
                        "--out",
                        path("o.npz")),
                mistake(
                        "grad",
                        path("none.json") + ": no such file or directory",
                        "--config",
                        path("none.json"),
                        "--params",
                        path("p.npz"),
                        "--data",
                        path("d.npz"),
                        "--out",
                        path("g.npz")),
                mistake(
                        "grad",
                        "config is not valid JSON",
                        "--config",
                        path("bad.json"),
                        "--params",
                        path("p.npz"),
                        "--data",
                        path("d.npz"),
                        "--out",
                        path("g.npz")),
                mistake(
                        "eprop run",
                        "--config " + path("none.json") + " cannot be read",
                        "--config",
                        path("none.json"),
                        "--data",
                        path("d.npz"),
                        "--out",
                        path("o.npz")),
                mistake(
                        "train",
                        path("none.json") + ": no such file or directory",
                        "--config",
                        path("none.json"),
                        "--data",
                        path("d.npz"),
                        "--out",
                        path("o.ckpt"),
                        "--no-progress"),
                mistake(
                        "train",
                        "--registry is required with --xdf",
                        "--xdf",
                        path("none.xdf"),
                        "--no-progress"));
    }

    static Stream<Arguments> xdf() {
        return Stream.of(
                mistake(
                        "xdf dump",
                        path("none.xdf") + ": no such file or directory",
                        path("none.xdf")),
                mistake(
                        "replay",
                        path("none.xdf") + ": no such file or directory",
                        path("none.xdf")),
                mistake("replay", "--speed: must be > 0", path("none.xdf"), "--speed", "0"),
                mistake(
                        "xdf record",
                        "no LSL stream with name='spikeloop-no-such-stream' within 0.2 s",
                        "--out",
                        path("r.xdf"),
                        "--name",
                        "spikeloop-no-such-stream",
                        "--resolve-timeout-s",
                        "0.2"),
                mistake(
                        "xdf record",
                        "--duration: must be >= 0 seconds",
                        "--out",
                        path("r.xdf"),
                        "--duration",
                        "-1"));
    }

    static Stream<Arguments> lsl() {
        return Stream.of(
                mistake(
                        "lsl pull",
                        "no LSL stream named 'spikeloop-no-such-stream' within 0.2 s",
                        "--name",
                        "spikeloop-no-such-stream",
                        "--samples",
                        "1",
                        "--timeout-s",
                        "0.2"),
                mistake(
                        "lsl push",
                        path("none.json") + ": no such file or directory",
                        "--name",
                        "x",
                        "--format",
                        "float32",
                        "--channels",
                        "1",
                        "--data",
                        path("none.json")),
                mistake(
                        "lsl push",
                        "channel_format: unknown value 'float33'",
                        "--name",
                        "x",
                        "--format",
                        "float33",
                        "--channels",
                        "1",
                        "--data",
                        path("samples.json")),
                mistake(
                        "lsl push",
                        path("shape.json") + ": not {\"time_stamps\"",
                        "--name",
                        "x",
                        "--format",
                        "float32",
                        "--channels",
                        "1",
                        "--data",
                        path("shape.json")),
                mistake(
                        "lsl list",
                        "Invalid value for option '--wait-s': 'soon' is not a double",
                        "--wait-s",
                        "soon"));
    }

    static Stream<Arguments> sim() {
        return Stream.of(
                mistake("sim eeg", "--chunk-ms: must be >= 1, got 0", "--chunk-ms", "0"),
                mistake("sim eeg", "classes = 9 but only 4 cue names", "--classes", "9"),
                mistake(
                        "sim intracortical",
                        "drift item 'bogus' is not <seconds>:<kind>=<values>",
                        "--drift",
                        "bogus"),
                mistake(
                        "sim intracortical",
                        "--duration: must be >= 0 seconds, got -1.0",
                        "--duration",
                        "-1"));
    }

    static Stream<Arguments> bench() {
        return Stream.of(
                mistake("bench step", "--model: must be lif or alif, got 'gru'", "--model", "gru"),
                mistake(
                        "bench ingest",
                        "--rate-hz: must be a multiple of 1000 (1 ms chunks), got 5",
                        "--rate-hz",
                        "5"),
                mistake("bench e2e", "--sessions: must be >= 1, got 0", "--sessions", "0"),
                mistake(
                        "bench e2e",
                        "--sessions: a count or a comma-separated list of counts, got '1,x'",
                        "--sessions",
                        "1,x"),
                mistake(
                        "bench e2e",
                        "--rigs: internal or external, got 'remote'",
                        "--rigs",
                        "remote"),
                mistake(
                        "bench e2e",
                        "--watch-over: grpc or lsl, got 'http'",
                        "--watch-over",
                        "http"),
                mistake(
                        "bench e2e",
                        "--server-config: no file /no/such/server.properties",
                        "--server-config",
                        "/no/such/server.properties"),
                mistake("bench jobs", "--sessions: must be >= 1, got 0", "--sessions", "0"),
                mistake("bench train", "--threads: must be >= 1, got 0", "--threads", "0"),
                mistake("bench decode", "need --hidden >= 1", "--hidden", "0"),
                mistake(
                        "bench abuse",
                        "--duration: must be > 0 seconds, got 0.0",
                        "--duration",
                        "0"),
                mistake("bench abuse", "--only: no attack 'ddos'", "--only", "ddos"));
    }

    static Stream<Arguments> parsing() {
        return Stream.of(
                mistake(
                        "serve",
                        "Unknown options: '--metric-port', '1' (did you mean --metrics-port",
                        "--metric-port",
                        "1"),
                mistake(
                        "demo",
                        "Invalid value for option '--duration': 'soon' is not a double",
                        "--duration",
                        "soon"),
                mistake("", "Unmatched argument at index 0: 'srve'", "srve"));
    }

    private static void assertOneLine(String command, List<String> args, String expected) {
        List<String> argv = new ArrayList<>();
        if (!command.isEmpty()) {
            argv.addAll(List.of(command.split(" ")));
        }
        argv.addAll(args);
        CliRun r = CliRun.of(argv.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        String prefix = command.isEmpty() ? "spikeloop: " : "spikeloop " + command + ": ";
        assertThat(r.err()).startsWith(prefix + expected);
        assertThat(r.out()).isEmpty();
    }

    /** Every family's mistakes, each case named by its command line. */
    static Stream<Arguments> mistakes() {
        return Stream.of(checkpoint(), learning(), xdf(), lsl(), sim(), bench(), parsing())
                .flatMap(family -> family);
    }

    @ParameterizedTest(name = "spikeloop {0} {1}")
    @MethodSource("mistakes")
    void shouldEndInOneLineAndExitTwo(String command, List<String> args, String expected) {
        assertOneLine(command, args, expected);
    }

    @Test
    void shouldPrintTheStackTraceAfterTheLineOnlyWithVerbose() {
        CliRun quiet = CliRun.of("replay", path("none.xdf"));
        CliRun verbose = CliRun.of("--verbose", "replay", path("none.xdf"));
        CliRun verboseAfter = CliRun.of("replay", path("none.xdf"), "--verbose");

        assertThat(quiet.err()).doesNotContain("\tat ");
        for (CliRun r : List.of(verbose, verboseAfter)) {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines().get(0)).isEqualTo(quiet.errLines().get(0));
            assertThat(r.err()).contains("java.nio.file.NoSuchFileException").contains("\tat ");
        }
    }
}
