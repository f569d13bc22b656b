package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelGateTest {
    @Test
    void shouldRejectALabelOfTheWrongDimensionWithAClearError() {
        LabelGate gate = new LabelGate(2, 10, false);
        assertThatThrownBy(() -> gate.offer(0, new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label has length 3, the readout has 2");
        assertThat(gate.target(0)).isNull();
    }

    @Test
    void shouldCountAndIgnoreLabelsOutOfTimeOrder() {
        LabelGate gate = new LabelGate(1, 10, false);
        assertThat(gate.offer(5, new float[] {1f})).isTrue();
        assertThat(gate.offer(4, new float[] {9f})).isFalse();
        assertThat(gate.rejectedOutOfOrder()).isEqualTo(1);
        assertThat(gate.target(5)).containsExactly(1f);
    }

    @Test
    void shouldCountAndIgnoreNonFiniteLabels() {
        LabelGate gate = new LabelGate(2, 10, false);
        gate.offer(0, new float[] {1f, 2f});
        assertThat(gate.offer(1, new float[] {Float.NaN, 0f})).isFalse();
        assertThat(gate.offer(2, new float[] {0f, Float.POSITIVE_INFINITY})).isFalse();
        assertThat(gate.rejectedNonFinite()).isEqualTo(2);
        assertThat(gate.target(2)).containsExactly(1f, 2f);
    }

    @Test
    void shouldPauseWhileTheLabelStreamIsStalled() {
        LabelGate gate = new LabelGate(1, 3, false);
        gate.offer(10, new float[] {1f});
        assertThat(gate.target(13)).isNotNull();
        assertThat(gate.target(14)).isNull();
        assertThat(gate.pausedSteps()).isEqualTo(1);
    }

    @Test
    void shouldLearnOnlyInsideTrialWindows() {
        LabelGate gate = new LabelGate(1, 100, true);
        gate.offer(0, new float[] {1f});
        assertThat(gate.target(1)).isNull();
        gate.beginTrial();
        assertThat(gate.target(2)).isNotNull();
        gate.endTrial();
        assertThat(gate.target(3)).isNull();
    }

    @Test
    void shouldNotLearnAcrossAnInputGapUntilAFreshLabel() {
        LabelGate gate = new LabelGate(1, 100, false);
        gate.offer(0, new float[] {1f});
        gate.inputGap();
        assertThat(gate.target(1)).isNull();
        gate.offer(2, new float[] {0.5f});
        assertThat(gate.target(2)).containsExactly(0.5f);
    }
}
