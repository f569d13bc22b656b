package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrialEventRingTest {
    @Test
    void shouldHandEventsOverInOrderWithTheirFields() {
        TrialEventRing r = new TrialEventRing(4);
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.offerOpen(3, 1, "770", 10.5, 14.5)).isTrue();
        assertThat(r.offerClose(12.0)).isTrue();
        assertThat(r.available()).isEqualTo(2);
        assertThat(r.peekKind()).isEqualTo(TrialEventRing.OPEN);
        assertThat(r.peekStampS()).isEqualTo(10.5);
        assertThat(r.peekEndS()).isEqualTo(14.5);
        assertThat(r.peekTrial()).isEqualTo(3);
        assertThat(r.peekClass()).isEqualTo(1);
        assertThat(r.peekCue()).isEqualTo("770");
        r.advance();
        assertThat(r.peekKind()).isEqualTo(TrialEventRing.CLOSE);
        assertThat(r.peekStampS()).isEqualTo(12.0);
        r.advance();
        assertThat(r.isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseAnEventWhenFullAndTakeOneAgainOnceRead() {
        TrialEventRing r = new TrialEventRing(2);
        assertThat(r.offerClose(1)).isTrue();
        assertThat(r.offerClose(2)).isTrue();
        assertThat(r.offerOpen(0, 0, "x", 3, 4)).isFalse();
        r.advance();
        assertThat(r.offerOpen(0, 0, "x", 3, 4)).isTrue();
        assertThat(r.peekStampS()).isEqualTo(2);
    }

    @Test
    void shouldRoundTheCapacityUpToAPowerOfTwoAndRefuseLessThanTwo() {
        assertThat(new TrialEventRing(5).capacity()).isEqualTo(8);
        assertThatThrownBy(() -> new TrialEventRing(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 2");
    }
}
