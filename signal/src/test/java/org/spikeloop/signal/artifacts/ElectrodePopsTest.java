package org.spikeloop.signal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ElectrodePopsTest {
    @Test
    void shouldAddStepsOfTheStatedHeightThatRecoverWithTheTimeConstant() {
        int frames = 20_000;
        int channels = 3;
        double rate = 1000;
        double[] clean = Blocks.gaussian(frames, channels, 3);
        double[] sd = ChannelScale.std(clean, frames, channels);
        double[] x = clean.clone();
        new ElectrodePops(5.0, 0.2, 0.1, 5).apply(x, frames, channels, rate);
        double[] d = Blocks.difference(x, clean);
        int pops = 0;
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                double v = d[f * channels + c];
                double before = f == 0 ? 0 : d[(f - 1) * channels + c];
                if (Math.abs(v - before) > 2 * sd[c]) { // an onset
                    pops++;
                    assertThat(Math.abs(v - before)).isCloseTo(5.0 * sd[c], within(1e-9));
                    if (f + 100 < frames && Math.abs(d[(f + 100) * channels + c]) > 0) {
                        // τ = 0.1 s: after 100 frames the step is e^{−1} of its height
                        assertThat(d[(f + 100) * channels + c] / (v - before))
                                .isCloseTo(Math.exp(-1), within(0.05));
                    }
                }
            }
        }
        // 0.2/s over 20 s: 4 expected; a Poisson count of at least one and at most a dozen
        assertThat(pops).isBetween(1, 12);
    }

    @Test
    void shouldChangeNothingAtRateZero() {
        double[] x = Blocks.gaussian(100, 2, 1);
        double[] y = x.clone();
        new ElectrodePops(5, 0, 0.1, 1).apply(y, 100, 2, 1000);
        assertThat(y).containsExactly(x);
    }
}
