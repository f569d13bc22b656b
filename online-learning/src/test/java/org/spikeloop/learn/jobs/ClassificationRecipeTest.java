package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.params.ParameterNames;

class ClassificationRecipeTest {
    private static final ClassificationRecipe.Settings SETTINGS =
            new ClassificationRecipe.Settings(0.5, 0.25, 3, 20);

    @Test
    void shouldLearnTheClassesAndReportEveryPart() {
        int[] classes = ClassTasks.classes(40, 1);
        TrialSequence data = ClassTasks.features(classes, 1.0, 2);
        List<JobProgress> progress = new ArrayList<>();
        ClassificationOutcome o =
                ClassificationRecipe.run(
                        ClassTasks.config(6), null, data, SETTINGS, progress::add, () -> false);
        assertThat(o.heldOutStart()).isEqualTo(20);
        assertThat(o.validationStart()).isEqualTo(15);
        assertThat(o.heldOut().count()).isEqualTo(20);
        assertThat(o.heldOut().accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(o.heldOut().maxClassShare()).isLessThanOrEqualTo(0.6);
        assertThat(o.closedFormScore().accuracy()).isGreaterThanOrEqualTo(0.8);
        assertThat(o.gainChoices()).hasSize(ClassificationRecipe.GAIN_FACTORS.length);
        assertThat(o.inputGain()).isPositive();
        assertThat(o.validationCrossEntropy()).hasSize(o.trainLoss().size());
        assertThat(o.trainLoss().get(0)).isNaN();
        assertThat(progress).hasSize(o.trainLoss().size() - 1);
        assertThat(progress.get(0).validationAccuracy()).isBetween(0.0, 1.0);
        assertThat(o.offsets()[0] + o.offsets()[1]).isCloseTo(0, within(1e-9));
        assertThat(o.baselines())
                .extracting(ClassificationBaselines.Result::name)
                .containsExactly("csp_lda", "bandpower_lda");
        // the 20 Hz features are no EEG: the baselines say why they did not run
        assertThat(o.baselines().get(0).skipped()).isTrue();
        assertThat(o.baselines().get(0).settings()).contains("is not above 60.0 Hz");
        assertThat(o.params().get(ParameterNames.READOUT_BIAS).data()).doesNotContain(Double.NaN);
        // re-scoring the result on the same data gives the recipe's own held-out decisions
        ClassificationScore again =
                ClassificationRecipe.scoreHeldOut(
                        ClassTasks.config(6).spec(), o.params(), data, o.heldOutStart());
        assertThat(again.decision()).containsExactly(o.heldOut().decision());
        assertThat(again.accuracy()).isEqualTo(o.heldOut().accuracy());
    }

    @Test
    void shouldLearnTheClassesOnASpikeCountReadoutAndDecideOnTheWindowsCounts() {
        int[] classes = ClassTasks.classes(40, 1);
        TrialSequence data = ClassTasks.features(classes, 1.0, 2);
        JobConfig config = ClassTasks.spikeCountConfig(6);
        ClassificationOutcome o =
                ClassificationRecipe.run(config, null, data, SETTINGS, p -> {}, () -> false);
        assertThat(o.heldOut().count()).isEqualTo(20);
        assertThat(o.heldOut().accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(o.heldOut().maxClassShare()).isLessThanOrEqualTo(0.6);
        assertThat(o.offsets()).containsExactly(0.0, 0.0); // counts are not calibrated
        // the held-out probabilities are the softmax of each window's output spike counts
        TrialReadouts.Means m = TrialReadouts.run(config.spec(), o.params(), data, 40);
        for (int i = 20; i < 40; i++) {
            double[] counts = m.readout()[i];
            assertThat(counts[0] + counts[1]).isEqualTo(Math.rint(counts[0] + counts[1]));
            double p0 = 1 / (1 + Math.exp(counts[1] - counts[0]));
            assertThat(o.heldOut().probabilities()[i - 20][0]).isCloseTo(p0, within(1e-12));
        }
    }

    @Test
    void shouldNotDecideEverythingAsOneClassWhenTheReadoutStartsBiased() {
        int[] classes = ClassTasks.classes(40, 3);
        TrialSequence data = ClassTasks.features(classes, 0.6, 4);
        ClassificationOutcome o =
                ClassificationRecipe.run(
                        ClassTasks.config(1), null, data, SETTINGS, p -> {}, () -> false);
        assertThat(o.heldOut().maxClassShare()).isLessThanOrEqualTo(0.7);
    }

    @Test
    void shouldRefuseTooFewTrialsOrAClassMissingFromTheFitTrials() {
        TrialSequence few = ClassTasks.features(ClassTasks.classes(6, 1), 1.0, 2);
        assertThatThrownBy(
                        () ->
                                ClassificationRecipe.run(
                                        ClassTasks.config(1),
                                        null,
                                        few,
                                        SETTINGS,
                                        p -> {},
                                        () -> false))
                .hasMessageStartingWith("the recording has 6 trials: too few")
                .hasMessageContaining("at least 3 training trials of each class");
        int[] classes = ClassTasks.classes(40, 1);
        for (int i = 0; i < 20; i++) {
            classes[i] = i < 15 ? 0 : 1; // every training trial of 'right' in the inner validation
        }
        TrialSequence skewed = ClassTasks.features(classes, 1.0, 2);
        assertThatThrownBy(
                        () ->
                                ClassificationRecipe.run(
                                        ClassTasks.config(1),
                                        null,
                                        skewed,
                                        SETTINGS,
                                        p -> {},
                                        () -> false))
                .hasMessage(
                        "class 'right' has no trial among the first 15 (the fit trials before"
                                + " the inner validation and held-out ones)");
    }

    @Test
    void shouldStopWhenCancelled() {
        TrialSequence data = ClassTasks.features(ClassTasks.classes(40, 1), 1.0, 2);
        assertThatThrownBy(
                        () ->
                                ClassificationRecipe.run(
                                        ClassTasks.config(3),
                                        null,
                                        data,
                                        SETTINGS,
                                        p -> {},
                                        () -> true))
                .isInstanceOf(JobCancelledException.class);
    }

    @Test
    void shouldCutOneSequencePerTrialWithItsLeadInAndMaskTheWindow() {
        int[] classes = ClassTasks.classes(10, 1);
        TrialSequence data = ClassTasks.features(classes, 1.0, 2);
        Batch b = ClassificationRecipe.sequences(data, classes, 4, 20);
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.frames()).isEqualTo(20 + 40); // 1 s lead-in, 2-s windows at 20 Hz
        double[] mask = b.target("mask").data();
        for (int i = 0; i < 4; i++) {
            for (int t = 0; t < 60; t++) {
                assertThat(mask[i * 60 + t]).isEqualTo(t >= 20 ? 1.0 : 0.0);
            }
            assertThat(b.target("label").data()[i]).isEqualTo(classes[i]);
            int from = data.from(i) - 20;
            assertThat(b.x()[i * 60 * 4]).isEqualTo(data.x()[from * 4]);
        }
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(v);
    }
}
