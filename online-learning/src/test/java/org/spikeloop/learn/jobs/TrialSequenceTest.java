package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.trials.Trial;

class TrialSequenceTest {
    private static final double[] STAMPS = {0.0, 0.5, 1.0, 1.5, 2.0, 2.5};

    private static TrialSequence of(List<Trial> trials) {
        return new TrialSequence(
                new double[6], 1, STAMPS, trials, List.of("a", "b"), new float[6], 1, 2, STAMPS);
    }

    @Test
    void shouldTakeTheFramesStampedInsideEachWindow() {
        TrialSequence s =
                of(List.of(new Trial(0, 0, "a", 0.5, 1.5), new Trial(1, 1, "b", 1.6, 2.5)));
        assertThat(s.from(0)).isEqualTo(1); // 0.5 is inside [0.5, 1.5)
        assertThat(s.to(0)).isEqualTo(3); // 1.5 is not
        assertThat(s.from(1)).isEqualTo(4);
        assertThat(s.to(1)).isEqualTo(5);
        assertThat(s.classOf(1)).isEqualTo(1);
        assertThat(TrialSequence.firstAtOrAfter(STAMPS, 9)).isEqualTo(6);
    }

    @Test
    void shouldRefuseAWindowWithoutFramesAndOverlappingTrials() {
        assertThatThrownBy(() -> of(List.of(new Trial(0, 0, "a", 0.6, 0.9))))
                .hasMessage("trial 0's window [0.6, 0.9) s holds no frame");
        assertThatThrownBy(
                        () ->
                                of(
                                        List.of(
                                                new Trial(0, 0, "a", 0.0, 1.5),
                                                new Trial(1, 1, "b", 1.0, 2.0))))
                .hasMessage("trial 1 starts before the previous one ends");
        assertThatThrownBy(() -> of(List.of(new Trial(0, 2, "c", 0.0, 1.0))))
                .hasMessageStartingWith("trial 0 has class 2 of [a, b]");
    }
}
