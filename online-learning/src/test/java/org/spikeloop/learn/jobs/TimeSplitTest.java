package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeSplitTest {
    @Test
    void shouldPutTheLastFractionOfTimeIntoValidation() {
        LabelledSequence s = Tasks.sequence(1000, 1);
        TimeSplit.Parts p = TimeSplit.split(s, 0.2, 100);
        assertThat(p.train().frames()).isEqualTo(800);
        assertThat(p.validation().frames()).isEqualTo(200);
        assertThat(p.train().lastS()).isLessThan(p.validation().firstS());
        assertThat(p.validation().lastS()).isEqualTo(s.lastS());
    }

    @Test
    void shouldRejectAFractionOutsideZeroOne() {
        LabelledSequence s = Tasks.sequence(1000, 1);
        assertThatThrownBy(() -> TimeSplit.split(s, 1.0, 10))
                .hasMessageContaining("validationFraction");
    }

    @Test
    void shouldRejectDataTooShortForAWindowInEachPart() {
        LabelledSequence s = Tasks.sequence(300, 1);
        assertThatThrownBy(() -> TimeSplit.split(s, 0.25, 100)).hasMessageContaining("too short");
    }
}
