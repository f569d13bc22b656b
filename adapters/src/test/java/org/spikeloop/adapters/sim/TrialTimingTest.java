package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrialTimingTest {

    @Test
    void shouldDefaultToTheGrazParadigm() {
        TrialTiming t = TrialTiming.defaults();

        assertThat(t.fixationS()).isEqualTo(2.0);
        assertThat(t.imageryS()).isEqualTo(4.0);
        assertThat(t.maxTrialS()).isEqualTo(8.5);
    }

    @Test
    void shouldRejectANonPositiveDuration() {
        assertThatThrownBy(() -> new TrialTiming(0, 4, 1, 2))
                .hasMessage("fixationS must be finite and > 0, got 0.0");
    }

    @Test
    void shouldRejectABreakRangeThatIsUpsideDown() {
        assertThatThrownBy(() -> new TrialTiming(2, 4, 3, 2))
                .hasMessage("breakMaxS (2.0) must be >= breakMinS (3.0)");
    }
}
