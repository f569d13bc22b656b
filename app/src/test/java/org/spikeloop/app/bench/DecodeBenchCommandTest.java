package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spikeloop.app.cli.CliRun;

/** Argument errors only: full runs are minutes long and belong to docs/benchmarks.md. */
class DecodeBenchCommandTest {
    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {Integer.toString(r.exitCode()), r.out(), r.err()};
    }

    @Test
    void shouldRejectAnOddOrTooSmallNumberOfMotorImageryTrials() {
        String[] r = run("bench", "decode", "--mi-trials", "41", "--json");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("need an even --mi-trials within [12, 400], got 41");
        assertThat(run("bench", "decode", "--mi-trials", "10")[2])
                .contains("need an even --mi-trials within [12, 400], got 10");
    }

    @Test
    void shouldRejectAMotorImageryDifficultyPaceOrFileThatCannotBe() {
        assertThat(run("bench", "decode", "--mi-erd", "1")[2])
                .contains("need --mi-erd within [0, 1), got 1.0");
        assertThat(run("bench", "decode", "--mi-speed", "0")[2])
                .contains("need --mi-speed > 0, got 0.0");
        String regression = "../examples/jobs/intracortical-regression.json";
        assertThat(
                        run(
                                "bench",
                                "decode",
                                "--job-config",
                                regression,
                                "--mi-job-config",
                                "no-such.json")[2])
                .contains("--mi-job-config: no file no-such.json");
        assertThat(
                        run(
                                "bench",
                                "decode",
                                "--job-config",
                                regression,
                                "--mi-job-config",
                                "../examples/jobs/motor-imagery.json",
                                "--mi-session-spec",
                                "no-such.json")[2])
                .contains("--mi-session-spec: no file no-such.json");
    }

    @Test
    void shouldRefuseTheRemovedEegOptions() {
        String[] r = run("bench", "decode", "--eeg-hidden", "32");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--eeg-hidden");
    }

    @Test
    void shouldRejectAPaceADriftOutsideTheRecordingAndAMissingJobConfig() {
        String[] speed = run("bench", "decode", "--speed", "0", "--json");
        assertThat(speed[0]).isEqualTo("2");
        assertThat(speed[1]).isEmpty();
        assertThat(speed[2]).contains("need --speed > 0");
        assertThat(run("bench", "decode", "--duration", "100", "--drift-at", "90")[2])
                .contains("--drift-at-s <= --duration - --r2-window-s");
        assertThat(run("bench", "decode", "--job-config", "no-such.json")[2])
                .contains("--job-config: no file no-such.json");
    }
}
