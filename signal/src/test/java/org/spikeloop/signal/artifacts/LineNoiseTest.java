package org.spikeloop.signal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LineNoiseTest {
    @Test
    void shouldAddASinusoidAtTheLineFrequencyOfTheStatedAmplitude() {
        int frames = 5000;
        int channels = 3;
        double rate = 1000;
        double[] clean = Blocks.gaussian(frames, channels, 1);
        double[] sd = ChannelScale.std(clean, frames, channels);
        double[] x = clean.clone();
        new LineNoise(50, 2.0, 7).apply(x, frames, channels, rate);
        double[] d = Blocks.difference(x, clean);
        for (int c = 0; c < channels; c++) {
            // amplitude of the 50-Hz component of δ by projection on sin and cos (whole cycles)
            double s = 0;
            double k = 0;
            double other = 0;
            for (int f = 0; f < frames; f++) {
                double w = 2 * Math.PI * 50 * f / rate;
                s += d[f * channels + c] * Math.sin(w);
                k += d[f * channels + c] * Math.cos(w);
                other += d[f * channels + c] * Math.sin(2 * Math.PI * 37 * f / rate);
            }
            double amplitude = 2 * Math.hypot(s, k) / frames;
            assertThat(amplitude).isCloseTo(2.0 * sd[c], within(1e-9 * sd[c]));
            assertThat(Math.abs(2 * other / frames)).isLessThan(1e-9);
        }
        assertThat(new LineNoise(50, 2.0, 7).name()).isEqualTo("line50");
    }

    @Test
    void shouldBeReproducibleFromItsSeedAndDifferAcrossSeeds() {
        double[] a = Blocks.gaussian(200, 2, 1);
        double[] b = a.clone();
        double[] c = a.clone();
        new LineNoise(50, 1, 3).apply(a, 200, 2, 1000);
        new LineNoise(50, 1, 3).apply(b, 200, 2, 1000);
        new LineNoise(50, 1, 4).apply(c, 200, 2, 1000);
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }
}
