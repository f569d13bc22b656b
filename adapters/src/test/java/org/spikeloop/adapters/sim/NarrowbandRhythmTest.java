package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NarrowbandRhythmTest {
    private static final double FS = 250.0;

    private static double[] generate(double centreHz, double bandwidthHz, int samples) {
        NarrowbandRhythm rhythm = new NarrowbandRhythm(centreHz, bandwidthHz, FS);
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = new double[samples];
        for (int t = 0; t < 1000; t++) {
            rhythm.next(rng);
        }
        for (int t = 0; t < samples; t++) {
            x[t] = rhythm.next(rng);
        }
        return x;
    }

    @Test
    void shouldHaveUnitVariance() {
        double[] x = generate(10.5, 2.0, 300_000);
        double sumSq = 0;
        for (double v : x) {
            sumSq += v * v;
        }

        assertThat(sumSq / x.length).isCloseTo(1.0, within(0.08));
    }

    @Test
    void shouldPeakAtTheCentreFrequency() {
        double[] x = generate(10.5, 2.0, 100_000);
        double peakHz = 0;
        double peak = 0;
        for (double f = 4; f <= 30; f += 0.5) {
            double p = Spectra.power(x, 0, x.length, 500, f, FS);
            if (p > peak) {
                peak = p;
                peakHz = f;
            }
        }

        assertThat(peakHz).isCloseTo(10.5, within(0.5));
        // Well outside the bandwidth the power is an order of magnitude lower.
        assertThat(Spectra.power(x, 0, x.length, 500, 16.0, FS)).isLessThan(peak / 10);
    }
}
