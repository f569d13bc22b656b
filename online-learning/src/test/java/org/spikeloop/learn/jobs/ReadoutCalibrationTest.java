package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

class ReadoutCalibrationTest {
    private static final NetworkSpec SPEC =
            new NetworkSpec(
                    1.0,
                    Tasks.CHANNELS,
                    null,
                    List.of(new LayerSpec(64, true, NeuronSpec.lif())),
                    ReadoutSpec.leaky(2));

    private static NetworkParams params() {
        return Initializer.initialise(SPEC, new InitSpec(7, 4.0, 1.0, 1.0));
    }

    @Test
    void shouldFitAReadoutThatDecodesTheValidationPart() {
        LabelledSequence s = Tasks.sequence(16_000, 3);
        NetworkParams p = params();
        ReadoutCalibration.Choice c = ReadoutCalibration.calibrate(SPEC, p, s, 12_000);
        assertThat(c.validationR2()).isGreaterThan(0.5);
        // the readout written is the one that was scored: recomputing the score agrees
        double r2 = HeldOutEvaluation.score(SPEC, p, s.slice(12_000, 16_000)).r2();
        assertThat(r2).isGreaterThan(0.5);
        assertThat(c.spanR2()).hasSize(ReadoutCalibration.BLOCKS);
    }

    @Test
    void shouldFitOnTheRecentSpanWhenTheRecordingDrifted() {
        // tuning rotates by 90° at frame 10 000: only the data after it predicts the validation
        // part
        LabelledSequence s = Tasks.sequence(16_000, 3, 1.0, 0.0, 10_000);
        ReadoutCalibration.Choice c = ReadoutCalibration.calibrate(SPEC, params(), s, 13_000);
        assertThat(c.startFrame()).isGreaterThanOrEqualTo(9_000);
        double all = c.spanR2()[ReadoutCalibration.BLOCKS - 1];
        assertThat(c.validationR2()).isGreaterThan(all + 0.1);
    }

    @Test
    void shouldKeepTheWholeSpanWhenNothingDrifted() {
        LabelledSequence s = Tasks.sequence(16_000, 5);
        ReadoutCalibration.Choice c = ReadoutCalibration.calibrate(SPEC, params(), s, 13_000);
        assertThat(c.startFrame()).isLessThan(13_000 / 2);
    }

    @Test
    void shouldRefitOnTheSpanAndTheValidationPart() {
        LabelledSequence s = Tasks.sequence(16_000, 3);
        NetworkParams p = params();
        ReadoutCalibration.Choice c = ReadoutCalibration.calibrate(SPEC, p, s, 12_000);
        double[] before = p.get("readout.w_out").data().clone();
        ReadoutCalibration.refit(SPEC, p, s, c.startFrame(), c.relativeRidge());
        assertThat(p.get("readout.w_out").data()).isNotEqualTo(before);
        assertThat(HeldOutEvaluation.score(SPEC, p, s.slice(12_000, 16_000)).r2())
                .isGreaterThan(c.validationR2() - 0.02);
    }

    @Test
    void shouldRefuseASpikeCountReadoutAndTooLittleData() {
        NetworkSpec counts =
                new NetworkSpec(
                        1.0,
                        Tasks.CHANNELS,
                        null,
                        List.of(new LayerSpec(8, true, NeuronSpec.lif())),
                        ReadoutSpec.spikeCount(2, NeuronSpec.lif()));
        LabelledSequence s = Tasks.sequence(1000, 1);
        assertThatThrownBy(
                        () ->
                                ReadoutCalibration.calibrate(
                                        counts,
                                        Initializer.initialise(counts, InitSpec.seeded(1)),
                                        s,
                                        800))
                .hasMessageContaining("leaky readout");
        assertThatThrownBy(() -> ReadoutCalibration.calibrate(SPEC, params(), s, 10))
                .hasMessageContaining("too little data");
    }
}
