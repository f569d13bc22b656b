package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;

class HeldOutEvaluationTest {
    @Test
    void shouldScoreAZeroReadoutAsTheTargetVariance() {
        LabelledSequence s = Tasks.sequence(1400, 1); // two full periods: mean 0, variance 0.5
        NetworkParams p = Initializer.initialise(Tasks.spec(), InitSpec.seeded(1));
        java.util.Arrays.fill(p.get("readout.w_out").data(), 0.0);
        java.util.Arrays.fill(p.get("readout.bias").data(), 0.0);
        HeldOutScore score = HeldOutEvaluation.score(Tasks.spec(), p, s);
        assertThat(score.mse()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(score.r2()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(score.predictions()).hasSize(1400 * 2).containsOnly(0f);
    }

    @Test
    void shouldRejectDataOfAnotherWidth() {
        LabelledSequence s =
                new LabelledSequence(new double[3], new double[3], new double[3], 1, 1);
        NetworkParams p = Initializer.initialise(Tasks.spec(), InitSpec.seeded(1));
        assertThatThrownBy(() -> HeldOutEvaluation.score(Tasks.spec(), p, s))
                .hasMessageContaining("1 channels");
    }
}
