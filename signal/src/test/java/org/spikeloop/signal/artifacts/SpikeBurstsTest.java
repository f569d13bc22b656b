package org.spikeloop.signal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SpikeBurstsTest {
    @Test
    void shouldAddWholeCountsAtTheBurstRateOnAFewChannels() {
        int frames = 400_000;
        int channels = 16;
        double rate = 1000;
        double[] clean = Blocks.spikes(frames, channels, 0.01, 6);
        double[] x = clean.clone();
        // 200-Hz firing on 3 channels in 0.1-s bursts at 0.2/s
        new SpikeBursts(200, 3, 0.2, 0.1, 13).apply(x, frames, channels, rate);
        double[] d = Blocks.difference(x, clean);
        long added = 0;
        int burstFrames = 0;
        for (int f = 0; f < frames; f++) {
            Set<Integer> hit = new TreeSet<>();
            for (int c = 0; c < channels; c++) {
                double v = d[f * channels + c];
                assertThat(v).isGreaterThanOrEqualTo(0).isEqualTo(Math.rint(v));
                if (v > 0) {
                    hit.add(c);
                }
                added += (long) v;
            }
            assertThat(hit.size()).isLessThanOrEqualTo(6); // two overlapping bursts at most here
        }
        // mean spikes added: bursts × 0.1 s × 3 channels × 200 Hz ≈ 0.2·400·60 = 4800
        assertThat(added).isBetween(3000L, 6600L);
        // within a burst the per-channel rate is 200 Hz: count frames with any added spike
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                if (d[f * channels + c] > 0) {
                    burstFrames++;
                    break;
                }
            }
        }
        // P(some spike among 3 channels in a frame) = 1 − e^{−0.6} inside bursts
        double burstTime = 0.2 * 400 * 0.1 * rate; // expected burst frames
        assertThat(burstFrames / burstTime).isCloseTo(1 - Math.exp(-0.6), within(0.15));
    }
}
