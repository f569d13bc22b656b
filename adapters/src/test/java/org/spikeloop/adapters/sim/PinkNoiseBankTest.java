package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinkNoiseBankTest {
    private static final double FS = 250.0;

    private static double[] generate(double exponent, int samples, long seed) {
        PinkNoiseBank bank = new PinkNoiseBank(2, exponent, FS, 0.05, new SplittableRandom(seed));
        double[] out = new double[2];
        double[] x = new double[samples];
        for (int t = 0; t < samples; t++) {
            bank.next(out);
            x[t] = out[1];
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 1.5})
    void shouldHaveTheConfiguredSpectralSlope(double exponent) {
        double[] x = generate(exponent, 150_000, 11);

        double slope = Spectra.logLogSlope(x, 500, Spectra.logSpaced(2, 40, 16), FS);

        assertThat(slope).isCloseTo(-exponent, within(0.15));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0})
    void shouldHaveUnitVariance(double exponent) {
        double[] x = generate(exponent, 400_000, 12);
        double sumSq = 0;
        for (double v : x) {
            sumSq += v * v;
        }

        assertThat(sumSq / x.length).isCloseTo(1.0, within(0.15));
    }
}
