package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.app.cli.CliRun;

/** Argument errors only: full runs are minutes long and belong to docs/benchmarks.md. */
class DecodeBenchCommandTest {
    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {Integer.toString(r.exitCode()), r.out(), r.err()};
    }

    @Test
    void shouldRejectANonPositiveEegNetwork() {
        String[] r = run("bench", "decode", "--eeg-hidden", "0", "--json", "--no-doc");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("--eeg-hidden >= 1");
        assertThat(run("bench", "decode", "--eeg-epochs", "0", "--no-doc")[2])
                .contains("--eeg-epochs >= 1");
    }

    @Test
    void shouldRejectTooFewEegTrainingTrials() {
        assertThat(run("bench", "decode", "--eeg-train-trials", "3", "--no-doc")[2])
                .contains("--eeg-train-trials >= 4");
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

    private static EegDecodeBench.Outcome outcome(String name, double before, double after) {
        return new EegDecodeBench.Outcome(
                name, before, after, 0.5, (before + after + 0.5) / 3, 10, 10, 10, List.of());
    }

    @Test
    void shouldJudgeTheEegTargetFromTheMeasuredAccuracies() {
        String text =
                DecodeBenchCommand.eegTarget(
                        List.of(
                                outcome("csp_lda", 0.8, 0.9),
                                outcome(EegSnnClassifier.NAME, 0.9, 0.7)));

        assertThat(text)
                .contains("over all trials not met (0.700 vs 0.733)")
                .contains("before the drift met (0.900 vs 0.800)")
                .contains("first 60 s after it not met (0.700 vs 0.900)")
                .contains("later met (0.500 vs 0.500)");
        assertThat(DecodeBenchCommand.eegTarget(List.of(outcome("csp_lda", 0.8, 0.9))))
                .contains("not measured");
    }
}
