package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.proto.v1.TrialDecision;

class HeldOutDecisionsTest {
    private static TrialDecision d(long trial, int cueClass, int decision, boolean learned) {
        return TrialDecision.newBuilder()
                .setTrial(trial)
                .setCueClass(cueClass)
                .setDecision(decision)
                .setLearned(learned)
                .build();
    }

    @Test
    void shouldScoreOnlyTheHeldOutTrialsEachOnce() {
        HeldOutDecisions h =
                HeldOutDecisions.of(
                        List.of(
                                d(0, 0, 1, true), // calibration: not scored
                                d(1, 1, 1, true),
                                d(2, 0, 0, false),
                                d(3, 1, 0, false),
                                d(3, 1, 0, false), // seen twice: counted once
                                d(4, 1, 1, true),
                                d(5, 0, 0, false)),
                        2,
                        2);

        assertThat(h.trials()).isEqualTo(4);
        assertThat(h.correct()).isEqualTo(3);
        assertThat(h.decided()).containsExactly(3, 1);
        assertThat(h.learned()).isEqualTo(1);
        assertThat(h.accuracy()).isEqualTo(0.75);
        assertThat(h.maxClassShare()).isEqualTo(0.75);
    }

    @Test
    void shouldGiveNoFiguresWithoutHeldOutTrials() {
        HeldOutDecisions h = HeldOutDecisions.of(List.of(d(0, 0, 0, true)), 1, 2);

        assertThat(h.trials()).isZero();
        assertThat(h.accuracy()).isNaN();
        assertThat(h.maxClassShare()).isNaN();
    }

    @Test
    void shouldRefuseADecisionOutsideTheClasses() {
        assertThatThrownBy(() -> HeldOutDecisions.of(List.of(d(3, 0, 2, false)), 0, 2))
                .hasMessage("trial 3 decided as class 2 of 2");
    }
}
