package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.trials.Trial;

class ClassificationScoreTest {
    private static final List<String> NAMES = List.of("a", "b", "c");

    @Test
    void shouldCountTheConfusionMatrixAccuracyAndRecall() {
        List<Trial> trials = ClassTasks.trials(new int[] {0, 1, 2, 2});
        ClassificationScore s =
                ClassificationScore.ofLogits(
                        NAMES,
                        trials,
                        new int[] {0, 1, 2, 2},
                        new double[][] {{2, 0, 0}, {0, 0, 1}, {0, 0, 3}, {1, 0, 1}},
                        null);
        assertThat(s.decision()).containsExactly(0, 2, 2, 0); // a tie goes to the lowest class
        assertThat(s.accuracy()).isEqualTo(0.5);
        assertThat(s.correct()).isEqualTo(2);
        assertThat(s.confusion()[1][2]).isEqualTo(1);
        assertThat(s.confusion()[2][0]).isEqualTo(1);
        assertThat(s.recall(2)).isEqualTo(0.5);
        assertThat(s.maxClassShare()).isEqualTo(0.5);
        double z = 2 + Math.exp(2);
        assertThat(s.probabilities()[0][0]).isCloseTo(Math.exp(2) / z, within(1e-15));
        assertThat(s.meanCrossEntropy()).isPositive();
    }

    @Test
    void shouldShiftLogitsByTheOffsets() {
        ClassificationScore s =
                ClassificationScore.ofLogits(
                        NAMES,
                        ClassTasks.trials(new int[] {1}),
                        new int[] {1},
                        new double[][] {{1, 0, 0}},
                        new double[] {-1, 0.5, 0});
        assertThat(s.decision()).containsExactly(1);
    }

    @Test
    void shouldHaveNoCrossEntropyWithoutProbabilities() {
        ClassificationScore s =
                ClassificationScore.of(
                        NAMES,
                        ClassTasks.trials(new int[] {0}),
                        new int[] {0},
                        new int[] {1},
                        null);
        assertThat(s.meanCrossEntropy()).isNaN();
        assertThat(s.accuracy()).isZero();
    }
}
