package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EegConfigTest {

    @Test
    void shouldDefaultTo22ChannelsAt250HzWithTwoHandClasses() {
        EegConfig config = EegConfig.defaults(1);

        assertThat(config.channels()).isEqualTo(22);
        assertThat(config.sampleRateHz()).isEqualTo(250.0);
        assertThat(config.classes()).isEqualTo(2);
        assertThat(config.cueNames().subList(0, 2)).containsExactly("left_hand", "right_hand");
    }

    @Test
    void shouldRejectANegativeSampleRate() {
        assertThatThrownBy(() -> EegConfig.builder().sampleRateHz(-250).build())
                .hasMessage("sampleRateHz must be finite and > 0, got -250.0");
    }

    @Test
    void shouldRejectMoreClassesThanCueNames() {
        assertThatThrownBy(
                        () ->
                                EegConfig.builder()
                                        .classes(3)
                                        .cueNames(List.of("left", "right"))
                                        .build())
                .hasMessage("classes = 3 but only 2 cue names were given: [left, right]");
    }

    @Test
    void shouldRejectMoreClassesThanImageryKinds() {
        assertThatThrownBy(
                        () ->
                                EegConfig.builder()
                                        .classes(5)
                                        .cueNames(List.of("a", "b", "c", "d", "e"))
                                        .build())
                .hasMessageStartingWith("classes must be <= 4");
    }

    @Test
    void shouldRejectZeroClasses() {
        assertThatThrownBy(() -> EegConfig.builder().classes(0).build())
                .hasMessage("classes must be >= 1, got 0");
    }

    @Test
    void shouldRejectDuplicateOrReservedCueNames() {
        assertThatThrownBy(() -> EegConfig.builder().cueNames(List.of("a", "a")).build())
                .hasMessage("cue name 'a' appears twice");
        assertThatThrownBy(() -> EegConfig.builder().cueNames(List.of("trial_start", "b")).build())
                .hasMessage("cue name 'trial_start' is blank or a reserved marker");
    }

    @Test
    void shouldRejectNegativeAmplitudes() {
        assertThatThrownBy(() -> EegConfig.builder().muUv(-1).build())
                .hasMessage("muUv must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> EegConfig.builder().backgroundUv(-1).build())
                .hasMessage("backgroundUv must be finite and >= 0, got -1.0");
    }

    @Test
    void shouldRejectRhythmsAboveNyquist() {
        assertThatThrownBy(() -> EegConfig.builder().sampleRateHz(40).build())
                .hasMessage("betaHz must be in (0, sampleRateHz / 2 = 20.0), got 21.0");
    }

    @Test
    void shouldRejectAnErdFractionOfOne() {
        assertThatThrownBy(() -> EegConfig.builder().erdFraction(1.0).build())
                .hasMessage("erdFraction must be in [0, 1), got 1.0");
    }

    @Test
    void shouldRejectAPinkExponentOutsideTheSupportedRange() {
        assertThatThrownBy(() -> EegConfig.builder().pinkExponent(2.0).build())
                .hasMessage("pinkExponent must be in (0, 2), got 2.0");
    }
}
