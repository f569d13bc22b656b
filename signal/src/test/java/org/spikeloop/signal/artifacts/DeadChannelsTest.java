package org.spikeloop.signal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadChannelsTest {
    @Test
    void shouldFlattenExactlyTheChosenChannelsAndLeaveTheOthers() {
        int frames = 300;
        int channels = 8;
        double[] clean = Blocks.gaussian(frames, channels, 4);
        double[] x = clean.clone();
        DeadChannels dead = new DeadChannels(2, 9);
        dead.apply(x, frames, channels, 250);
        int[] chosen = dead.chosen(channels);
        assertThat(chosen).hasSize(2).doesNotHaveDuplicates();
        for (int c = 0; c < channels; c++) {
            boolean isDead = c == chosen[0] || c == chosen[1];
            for (int f = 0; f < frames; f++) {
                assertThat(x[f * channels + c]).isEqualTo(isDead ? 0.0 : clean[f * channels + c]);
            }
        }
    }

    @Test
    void shouldRefuseMoreDeadChannelsThanThereAre() {
        assertThatThrownBy(() -> new DeadChannels(3, 1).apply(new double[4], 2, 2, 10))
                .hasMessage("cannot kill 3 of 2 channels");
    }
}
