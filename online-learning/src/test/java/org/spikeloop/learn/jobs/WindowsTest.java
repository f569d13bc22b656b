package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spikeloop.learn.data.Batch;

class WindowsTest {
    @Test
    void shouldCutNonOverlappingWindowsAndDropTheTail() {
        LabelledSequence s = Tasks.sequence(1050, 1);
        Batch b = Windows.batch(s, 100);
        assertThat(b.size()).isEqualTo(10);
        assertThat(b.frames()).isEqualTo(100);
        assertThat(b.target("y").shape()).containsExactly(10, 100, 2);
        // window 3, frame 7, channel 5 is sequence frame 307
        assertThat(b.x()[b.offset(3, 7) + 5]).isEqualTo(s.x()[307 * Tasks.CHANNELS + 5]);
        assertThat(b.target("y").data()[(3 * 100 + 7) * 2 + 1]).isEqualTo(s.y()[307 * 2 + 1]);
    }

    @Test
    void shouldRejectASequenceShorterThanAWindow() {
        assertThatThrownBy(() -> Windows.batch(Tasks.sequence(50, 1), 100))
                .hasMessageContaining("fewer than one window");
    }
}
