package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;

class RegressionRecipeTest {
    private static final RegressionRecipe.Settings SETTINGS =
            new RegressionRecipe.Settings(0.25, 0.2, 500, 2);

    @Test
    void shouldLearnTargetsInTinyUnitsAndReportThemInThoseUnits() {
        // velocity-like targets: σ ≈ 0.06 around 0.3, where raw readout_mse barely moves
        LabelledSequence s = Tasks.sequence(16_000, 1, 0.08, 0.3, Integer.MAX_VALUE);
        List<JobProgress> epochs = new ArrayList<>();
        RegressionOutcome o =
                RegressionRecipe.run(
                        Tasks.config(3, 3e-3), null, s, SETTINGS, epochs::add, () -> false);
        assertThat(o.heldOut().meanR2()).isGreaterThan(0.6);
        assertThat(o.baselines()).hasSize(2);
        assertThat(o.validationR2()).hasSize(o.trainLoss().size());
        assertThat(o.trainLoss().get(0)).isNaN(); // epoch 0: the closed-form readout
        assertThat(o.bestEpoch()).isBetween(0, 3);
        assertThat(epochs).isNotEmpty();
        assertThat(o.inputGain()).isPositive();
        // the result's readout is in the recording's units: its predictions centre on μ ≈ 0.3
        double mean = 0;
        for (float v : o.predictions()) {
            mean += v;
        }
        assertThat(mean / o.predictions().length).isBetween(0.2, 0.4);
    }

    @Test
    void shouldNeverChooseWithTheHeldOutPart() {
        LabelledSequence s = Tasks.sequence(16_000, 2);
        double[] y = s.y().clone();
        for (int i = 12_000 * 2; i < y.length; i++) {
            y[i] = 5 - y[i];
        }
        LabelledSequence other = new LabelledSequence(s.x(), y, s.stampsS(), Tasks.CHANNELS, 2);
        JobConfig config = Tasks.config(2, 3e-3);
        RegressionOutcome a = RegressionRecipe.run(config, null, s, SETTINGS, p -> {}, () -> false);
        RegressionOutcome b =
                RegressionRecipe.run(config, null, other, SETTINGS, p -> {}, () -> false);
        assertThat(b.inputGain()).isEqualTo(a.inputGain());
        assertThat(b.bestEpoch()).isEqualTo(a.bestEpoch());
        for (String name : a.params().names()) {
            assertThat(b.params().get(name).data()).containsExactly(a.params().get(name).data());
        }
    }

    @Test
    void shouldStartFromACheckpointAndScoreIt() {
        LabelledSequence s = Tasks.sequence(16_000, 3);
        JobConfig config = Tasks.config(1, 1e-3);
        RegressionOutcome o =
                RegressionRecipe.run(
                        config,
                        Initializer.initialise(Tasks.spec(), InitSpec.seeded(3)),
                        s,
                        SETTINGS,
                        p -> {},
                        () -> false);
        assertThat(o.startScore()).isNotNull();
        assertThat(o.inputGain()).isNaN();
        assertThat(o.heldOut().meanR2()).isGreaterThan(o.startScore().meanR2());
    }

    @Test
    void shouldRefuseARecordingTooShortForTheSplitAndConstantTargets() {
        JobConfig config = Tasks.config(1, 1e-3);
        assertThatThrownBy(
                        () ->
                                RegressionRecipe.run(
                                        config,
                                        null,
                                        Tasks.sequence(600, 1),
                                        SETTINGS,
                                        p -> {},
                                        () -> false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("600 labelled frames: too short")
                .hasMessageContaining("500 frames");
        LabelledSequence s = Tasks.sequence(8_000, 1);
        LabelledSequence constant =
                new LabelledSequence(
                        s.x(), new double[s.y().length], s.stampsS(), Tasks.CHANNELS, 2);
        assertThatThrownBy(
                        () ->
                                RegressionRecipe.run(
                                        config, null, constant, SETTINGS, p -> {}, () -> false))
                .hasMessageContaining("output 0 is constant");
    }

    @Test
    void shouldStopWhenCancelled() {
        assertThatThrownBy(
                        () ->
                                RegressionRecipe.run(
                                        Tasks.config(3, 1e-3),
                                        null,
                                        Tasks.sequence(8_000, 1),
                                        SETTINGS,
                                        p -> {},
                                        () -> true))
                .isInstanceOf(JobCancelledException.class);
    }
}
