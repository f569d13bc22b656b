package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class WienerFilterTest {
    /** Known taps h[lag][feature][output]. */
    private static final double[][][] TAPS = {
        {{1.0, 0.0}, {0.5, -0.5}, {0.0, 2.0}},
        {{0.3, 0.1}, {0.0, 0.0}, {-0.7, 0.2}},
        {{0.0, -0.4}, {0.25, 0.0}, {0.1, 0.1}}
    };

    private static final double[] BIAS = {3.0, -1.0};

    /** y_t white features (plus offsets); x_t = b + Σ_l TAPS[l]ᵀ y_{t−l} + small noise. */
    private static double[][][] generate(int samples, long seed, double noise) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] y = new double[samples][3];
        double[][] x = new double[samples][2];
        for (int t = 0; t < samples; t++) {
            for (int i = 0; i < 3; i++) {
                y[t][i] = 2.0 + i + rng.nextGaussian();
            }
        }
        for (int t = 0; t < samples; t++) {
            for (int k = 0; k < 2; k++) {
                double v = BIAS[k] + noise * rng.nextGaussian();
                for (int l = 0; l < 3; l++) {
                    if (t - l >= 0) {
                        for (int i = 0; i < 3; i++) {
                            v += TAPS[l][i][k] * y[t - l][i];
                        }
                    }
                }
                x[t][k] = v;
            }
        }
        return new double[][][] {y, x};
    }

    @Test
    void shouldRecoverKnownFilterTaps() {
        double[][][] data = generate(20_000, 1, 0.1);

        WienerFilter filter = WienerFilter.fit(data[0], data[1], 3, 0.0);

        for (int l = 0; l < 3; l++) {
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 2; k++) {
                    assertThat(filter.tap(l, i, k))
                            .as("tap lag %d feature %d output %d", l, i, k)
                            .isCloseTo(TAPS[l][i][k], within(0.01));
                }
            }
        }
        assertThat(filter.bias(0)).isCloseTo(BIAS[0], within(0.05));
        assertThat(filter.bias(1)).isCloseTo(BIAS[1], within(0.05));
    }

    @Test
    void shouldDecodeTheNoiseFreeSignalExactlyAfterTheLagsFill() {
        double[][][] data = generate(2000, 2, 0.0);
        WienerFilter filter = WienerFilter.fit(data[0], data[1], 3, 0.0);
        double[] out = new double[2];
        for (int t = 0; t < 2000; t++) {
            filter.decode(LinearGaussianSystem.toFloat(data[0][t]), out);
            if (t >= 2) {
                // float features: 1e-5 relative rounding
                assertThat(out[0]).isCloseTo(data[1][t][0], within(1e-4));
                assertThat(out[1]).isCloseTo(data[1][t][1], within(1e-4));
            }
        }
    }

    @Test
    void shouldShrinkTapsWithRidge() {
        double[][][] data = generate(5000, 3, 0.1);

        double plain = Math.abs(WienerFilter.fit(data[0], data[1], 3, 0.0).tap(0, 2, 1));
        double ridged = Math.abs(WienerFilter.fit(data[0], data[1], 3, 10.0).tap(0, 2, 1));

        assertThat(ridged).isLessThan(0.5 * plain);
    }

    @Test
    void shouldNotAllocatePerBin() {
        double[][][] data = generate(3000, 4, 0.1);
        WienerFilter filter = WienerFilter.fit(data[0], data[1], 3, 0.0);
        float[] y = LinearGaussianSystem.toFloat(data[0][5]);
        double[] out = new double[2];
        for (int t = 0; t < 50_000; t++) {
            filter.decode(y, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 100_000; t++) {
            filter.decode(y, out);
        }

        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }

    @Test
    void shouldRejectBadLagsRidgeAndData() {
        double[][][] data = generate(100, 5, 0.1);

        assertThatThrownBy(() -> WienerFilter.fit(data[0], data[1], 0, 0))
                .hasMessage("lags must be >= 1, got 0");
        assertThatThrownBy(() -> WienerFilter.fit(data[0], data[1], 2, -1))
                .hasMessage("ridge must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> WienerFilter.fit(new double[5][3], new double[5][2], 2, 0))
                .hasMessageContaining("use ridge > 0");
        assertThatThrownBy(() -> WienerFilter.fit(new double[2][3], new double[2][2], 5, 0))
                .hasMessage("features needs >= 6 rows, got 2");
    }
}
