package org.spikeloop.signal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EmgBurstsTest {
    @Test
    void shouldAddBroadbandNoiseOnEveryChannelOnlyInsideBursts() {
        int frames = 200_000;
        int channels = 4;
        double rate = 1000;
        double[] clean = Blocks.gaussian(frames, channels, 2);
        double[] sd = ChannelScale.std(clean, frames, channels);
        double[] x = clean.clone();
        // 0.5 bursts/s of 0.2 s: about 10 % of the time covered (1 − e^{−0.1} with overlaps)
        new EmgBursts(3.0, 0.5, 0.2, 11).apply(x, frames, channels, rate);
        double[] d = Blocks.difference(x, clean);
        int covered = 0;
        double[] power = new double[channels];
        double lag1 = 0;
        double lag0 = 0;
        for (int f = 0; f < frames; f++) {
            boolean on = false;
            for (int c = 0; c < channels; c++) {
                on |= d[f * channels + c] != 0;
            }
            if (on) {
                covered++;
                for (int c = 0; c < channels; c++) {
                    assertThat(d[f * channels + c]).as("frame %d channel %d", f, c).isNotZero();
                    power[c] += d[f * channels + c] * d[f * channels + c];
                }
                if (f > 0) {
                    lag1 += d[f * channels] * d[(f - 1) * channels];
                }
                lag0 += d[f * channels] * d[f * channels];
            }
        }
        // ≈ 100 bursts: the covered fraction's sd is ≈ 0.0095; allow 3 sd
        assertThat(covered / (double) frames).isCloseTo(1 - Math.exp(-0.1), within(0.03));
        for (int c = 0; c < channels; c++) {
            double rms = Math.sqrt(power[c] / covered) / sd[c];
            // A·g_c with g_c in [0.5, 1.5]
            assertThat(rms).isBetween(1.5 * 0.95, 4.5 * 1.05);
        }
        // white: neighbouring samples uncorrelated (broadband, up to Nyquist)
        assertThat(Math.abs(lag1 / lag0)).isLessThan(0.03);
    }

    @Test
    void shouldRefuseANegativeAmplitude() {
        assertThatThrownBy(() -> new EmgBursts(-1, 1, 1, 1))
                .hasMessage("amplitudeSd must be finite and >= 0, got -1.0");
    }
}
