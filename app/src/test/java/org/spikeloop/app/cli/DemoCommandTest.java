package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.adapters.lsl.Lsl;

/**
 * Bad input to {@code spikeloop demo}: each is refused with exit code 2 and one line naming the
 * option or field. (The full run is exercised against real LSL and pyxdf by
 * clients/python/tests/test_demo.py.)
 */
class DemoCommandTest {
    @TempDir Path dir;

    @BeforeAll
    static void keepLslDiscoveryOnThisMachine() {
        // The learning-rate case opens the demo's LSL outlets; liblsl takes this file when it loads
        // unless LSLAPICFG is set (the adapters module's surefire sets that variable).
        if (System.getenv("LSLAPICFG") == null) {
            System.setProperty(
                    Lsl.PROP_CONFIG,
                    Path.of("..", "ops", "lsl", "lsl_api.cfg").toAbsolutePath().toString());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--duration, -1",
        "--duration, NaN",
        "--train-s, 0",
        "--hidden, 0",
        "--r2-window-s, 0.001",
        "--chunk-ms, 0",
        "--port, 70000",
        "--metrics-port, -2"
    })
    void shouldRejectAnImpossibleOptionNamingIt(String option, String value) {
        CliRun r = CliRun.of("demo", option, value);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("spikeloop demo: " + option + ":");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldRefuseABusyGrpcPortNamingItAndTheWayOut() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            CliRun r = CliRun.of("demo", "--port", Integer.toString(port), "--metrics-port", "-1");

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err())
                    .contains("gRPC port 127.0.0.1:" + port + " is in use")
                    .contains("--port 0 for any free port");
        }
    }

    @Test
    void shouldRefuseABusyMetricsPortNamingItAndTheWayOut() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            CliRun r = CliRun.of("demo", "--port", "0", "--metrics-port", Integer.toString(port));

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err())
                    .contains("metrics port 127.0.0.1:" + port + " is in use")
                    .contains("--metrics-port 0 for any free port");
        }
    }

    @Test
    void shouldRejectALearningRateOutsideTheServersBoundsNamingTheField() {
        CliRun r =
                CliRun.of(
                        "demo",
                        "--port",
                        "0",
                        "--metrics-port",
                        "-1",
                        "--hidden",
                        "8",
                        "--train-s",
                        "1",
                        "--learning-rate",
                        "5",
                        "--checkpoints-dir",
                        dir.resolve("checkpoints").toString(),
                        "--recordings-dir",
                        dir.resolve("recordings").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("spikeloop demo: learning_rate: must be within");
    }
}
