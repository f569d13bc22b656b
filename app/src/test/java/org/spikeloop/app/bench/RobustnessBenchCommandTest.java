package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.spikeloop.app.cli.CliRun;

/** Argument errors and the result's shape: full runs take minutes and belong to the docs. */
class RobustnessBenchCommandTest {
    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {Integer.toString(r.exitCode()), r.out(), r.err()};
    }

    @Test
    void shouldRejectSettingsThatCannotWorkInOneLine() {
        String[] r = run("bench", "robustness", "--mi-trials", "13", "--json");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("need an even --mi-trials within [12, 400], got 13");
        assertThat(run("bench", "robustness", "--duration", "5")[2])
                .contains("need --duration within [20, 3600] s, got 5.0");
        assertThat(run("bench", "robustness", "--ib-weight", "-1")[2])
                .contains("need a finite --ib-weight >= 0, got -1.0");
        assertThat(run("bench", "robustness", "--fgsm-eps-sd", "NaN")[2])
                .contains("need a finite --fgsm-eps-sd >= 0, got NaN");
        assertThat(run("bench", "robustness", "--job-config", "no-such.json")[2])
                .contains("--job-config: no file no-such.json");
    }

    private static RobustnessScores scores() {
        RobustnessScores s = RobustnessScores.of("r2");
        s.put("clean", RobustnessJobs.PLAIN, 0.8);
        s.put("clean", RobustnessJobs.IB, 0.7);
        s.put("clean", "kalman", 0.9);
        s.put("emg", RobustnessJobs.PLAIN, 0.3);
        s.put("emg", RobustnessJobs.IB, 0.5);
        s.put("emg", "kalman", Double.NaN);
        s.strengths().put("emg", "3 σ");
        s.notes().put("emg", "kalman skipped");
        s.training().put(RobustnessJobs.PLAIN, "kept epoch 2");
        return s;
    }

    @Test
    void shouldNameTheBetterObjectiveAndTheBestDecoderPerCondition() {
        RobustnessScores s = scores();
        assertThat(s.objectiveWinner("clean")).isEqualTo(RobustnessJobs.PLAIN);
        assertThat(s.objectiveWinner("emg")).isEqualTo(RobustnessJobs.IB);
        assertThat(s.bestDecoder("clean")).isEqualTo("kalman");
        assertThat(s.bestDecoder("emg")).isEqualTo(RobustnessJobs.IB); // NaN skipped
    }

    @Test
    void shouldWriteEveryConditionWithNullForAMissingScore() {
        JsonObject j = RobustnessBenchCommand.toJson(scores());
        assertThat(j.get("metric").getAsString()).isEqualTo("r2");
        assertThat(j.getAsJsonObject("scores").keySet()).containsExactly("clean", "emg");
        JsonObject emg = j.getAsJsonObject("scores").getAsJsonObject("emg");
        assertThat(emg.get("kalman").isJsonNull()).isTrue();
        assertThat(emg.get(RobustnessJobs.IB).getAsDouble()).isEqualTo(0.5);
        assertThat(
                        j.getAsJsonObject("winners")
                                .getAsJsonObject("emg")
                                .get("objective")
                                .getAsString())
                .isEqualTo(RobustnessJobs.IB);
        String md = RobustnessBenchCommand.markdown(scores(), scores(), "./spikeloop x", "t", 1);
        assertThat(md)
                .contains("| emg | 0.300 | **0.500** | — | sg_bptt_ib |")
                .contains("- `emg`: 3 σ")
                .contains("- note on `emg`: kalman skipped");
    }
}
