package org.spikeloop.learn.readout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastSquaresReadoutTest {

    @Test
    void shouldRecoverAKnownLinearReadout() {
        SplittableRandom rng = new SplittableRandom(3);
        int t = 2000;
        int h = 5;
        double[] trueW = {0.5, -1.0, 2.0, 0.0, 0.25, 1.5, 0.0, -0.5, 1.0, -2.0};
        double[] trueB = {0.3, -0.7};
        double[][] z = new double[t][h];
        double[][] y = new double[t][2];
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < h; i++) {
                z[s][i] = rng.nextDouble();
            }
            for (int k = 0; k < 2; k++) {
                double v = trueB[k];
                for (int i = 0; i < h; i++) {
                    v += trueW[k * h + i] * z[s][i];
                }
                y[s][k] = v;
            }
        }

        double[][] fit = LeastSquaresReadout.fit(z, y, 0.0);

        for (int j = 0; j < trueW.length; j++) {
            assertThat(fit[0][j]).isCloseTo(trueW[j], within(1e-9));
        }
        assertThat(fit[1][0]).isCloseTo(0.3, within(1e-9));
        assertThat(fit[1][1]).isCloseTo(-0.7, within(1e-9));
    }

    @Test
    void shouldRejectBadData() {
        double[][] z = {{1.0, 2.0}, {3.0, Double.NaN}};
        double[][] y = {{1.0}, {2.0}};

        assertThatThrownBy(() -> LeastSquaresReadout.fit(z, y, 0.1))
                .hasMessage("filteredSpikes[1] has a non-finite value NaN");
        assertThatThrownBy(() -> LeastSquaresReadout.fit(new double[][] {{1.0}}, y, 0.1))
                .hasMessageStartingWith("need >= 2 matching samples");
        assertThatThrownBy(() -> LeastSquaresReadout.fit(new double[][] {{1.0}, {2.0}}, y, -1.0))
                .hasMessage("ridge must be finite and >= 0, got -1.0");
    }
}
