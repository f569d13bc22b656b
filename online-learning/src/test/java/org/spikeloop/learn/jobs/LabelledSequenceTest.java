package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledSequenceTest {
    @Test
    void shouldRejectANonFiniteInputNamingTheIndex() {
        double[] x = {0, Double.NaN};
        assertThatThrownBy(
                        () ->
                                new LabelledSequence(
                                        x, new double[] {0, 0}, new double[] {1, 2}, 1, 1))
                .hasMessageContaining("x has a non-finite value")
                .hasMessageContaining("index 1");
    }

    @Test
    void shouldRejectMismatchedLengths() {
        assertThatThrownBy(
                        () ->
                                new LabelledSequence(
                                        new double[3], new double[2], new double[2], 1, 1))
                .hasMessageContaining("x has 3 values");
    }

    @Test
    void shouldConcatenateRecordingsInOrder() {
        LabelledSequence a = Tasks.sequence(10, 1);
        LabelledSequence b = Tasks.sequence(5, 2);
        LabelledSequence c = LabelledSequence.concat(List.of(a, b));
        assertThat(c.frames()).isEqualTo(15);
        assertThat(c.x()[10 * Tasks.CHANNELS + 3]).isEqualTo(b.x()[3]);
    }
}
