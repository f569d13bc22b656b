package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EegMontageTest {

    @Test
    void shouldHoldTheBciCompetition22ChannelsAroundC3CzC4() {
        EegMontage m = EegMontage.standard22();

        assertThat(m.channels()).isEqualTo(22);
        assertThat(m.channelNames()).contains("C3", "Cz", "C4").doesNotHaveDuplicates();
        int c3 = m.indexOf("C3");
        int c4 = m.indexOf("C4");
        assertThat(m.x(c3)).isEqualTo(-m.x(c4));
        assertThat(m.y(m.indexOf("Cz"))).isZero();
    }

    @Test
    void shouldRejectZeroChannels() {
        assertThatThrownBy(EegMontage::of).hasMessage("montage must have >= 1 channel, got 0");
        assertThatThrownBy(() -> EegMontage.custom(new String[0], new double[0], new double[0]))
                .hasMessage("montage must have >= 1 channel, got 0");
    }

    @Test
    void shouldRejectAnUnknownElectrode() {
        assertThatThrownBy(() -> EegMontage.of("C3", "Xq7"))
                .hasMessageStartingWith("montage: unknown electrode 'Xq7'; known: F3");
    }

    @Test
    void shouldRejectADuplicateChannel() {
        assertThatThrownBy(() -> EegMontage.of("C3", "C3"))
                .hasMessage("montage: channel name 'C3' appears twice");
    }

    @Test
    void shouldRejectMismatchedCustomPositions() {
        assertThatThrownBy(
                        () ->
                                EegMontage.custom(
                                        new String[] {"A", "B"}, new double[1], new double[2]))
                .hasMessage("montage: 2 names but 1 x and 2 y positions");
    }
}
