package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spikeloop.app.cli.CliRun;

/** Argument errors only: timing runs belong to bench/step-vs-torch.sh, never to the tests. */
class StepBenchCommandTest {
    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {Integer.toString(r.exitCode()), r.out(), r.err()};
    }

    @Test
    void shouldRejectAnUnknownModel() {
        String[] r = run("bench", "step", "--model", "gru", "--json");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("--model: must be lif or alif, got 'gru'");
    }

    @Test
    void shouldRejectNonPositiveSizes() {
        assertThat(run("bench", "step", "--hidden", "0")[2])
                .contains("--hidden: must be >= 1, got 0");
        assertThat(run("bench", "step", "--steps", "-5")[2])
                .contains("--steps: must be >= 1, got -5");
        assertThat(run("bench", "step", "--warmup", "-1")[2])
                .contains("--warmup: must be >= 0, got -1");
    }

    @Test
    void shouldRejectAnEpropWindowOutOfRange() {
        String[] r = run("bench", "step", "--eprop", "--eprop-window", "-1", "--json");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--eprop-window: must be in [1, 256] or 0 (auto), got -1");
        assertThat(run("bench", "step", "--eprop", "--eprop-window", "300")[2])
                .contains("--eprop-window: must be in [1, 256] or 0 (auto), got 300");
    }

    @Test
    void shouldRejectANegativeProbeSpin() {
        assertThat(run("bench", "step", "--probe-spin-us", "-1")[2])
                .contains("--probe-spin-us: must be >= 0 (0 = the p50 step time), got -1");
    }

    @Test
    void shouldCalibrateThePeerNetworkIntoTheFiveToFiftyHertzBand() {
        var spec = PeerNetwork.spec("lif", 96, 64, 2);
        float[][] x = PeerNetwork.poissonInputs(3000, 96, 5678);

        PeerNetwork.Calibration c = PeerNetwork.calibrate(spec, 1234, x);

        assertThat(c.rateHz()).isBetween(5.0, 50.0);
        assertThat(PeerNetwork.meanRateHz(spec, c.scale(), 1234, x, 3000)).isEqualTo(c.rateHz());
    }
}
