package org.spikeloop.learn.trials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassBiasCalibrationTest {
    /** Two classes separated along (1, −1) but every readout shifted towards class 1 by 3. */
    private static double[][] biased(int n, int[] classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            classes[i] = i % 2;
            double s = classes[i] == 0 ? 1 : -1;
            x[i] = new double[] {s + 0.5 * rng.nextGaussian(), -s + 0.5 * rng.nextGaussian() + 3};
        }
        return x;
    }

    @Test
    void shouldRemoveABiasTowardsOneClass() {
        int[] c = new int[40];
        double[][] x = biased(40, c, 1);
        assertThat(accuracy(x, c, new double[2], 0)).isLessThan(0.2); // biased: mostly class 1
        double[] delta = ClassBiasCalibration.fit(x, c, 2);
        assertThat(delta[0] + delta[1]).isCloseTo(0, within(1e-9));
        assertThat(delta[0] - delta[1]).isCloseTo(3, within(0.5));
        assertThat(accuracy(x, c, delta, 0)).isGreaterThan(0.9);
        assertThat(accuracy(x, c, delta, 1)).isGreaterThan(0.9);
    }

    @Test
    void shouldBeAtTheMinimumOfTheBalancedCrossEntropy() {
        int[] c = new int[30];
        double[][] x = biased(30, c, 2);
        c[0] = 1; // unequal class counts: 14 vs 16
        c[2] = 1;
        double[] delta = ClassBiasCalibration.fit(x, c, 2);
        double f0 = objective(x, c, delta);
        for (double h : new double[] {1e-3, -1e-3}) {
            assertThat(objective(x, c, new double[] {delta[0] + h, delta[1]})).isGreaterThan(f0);
            assertThat(objective(x, c, new double[] {delta[0], delta[1] + h})).isGreaterThan(f0);
        }
    }

    @Test
    void shouldAccumulateTrialsWithoutAllocatingAndFitTheSame() {
        int[] c = new int[20];
        double[][] x = biased(20, c, 3);
        ClassBiasCalibration cal = new ClassBiasCalibration(2, 20);
        for (int i = 0; i < 20; i++) {
            assertThat(cal.add(x[i], c[i])).isTrue();
        }
        assertThat(cal.add(x[0], c[0])).isFalse(); // full
        assertThat(cal.add(new double[] {Double.NaN, 0}, 0)).isFalse();
        assertThat(cal.trials()).isEqualTo(20);
        assertThat(cal.fit()).containsExactly(ClassBiasCalibration.fit(x, c, 2));
        cal.clear();
        assertThat(cal.trials()).isZero();
    }

    @Test
    void shouldRefuseAClassWithoutTrials() {
        assertThatThrownBy(
                        () ->
                                ClassBiasCalibration.fit(
                                        new double[][] {{0, 1}, {1, 0}}, new int[] {0, 0}, 2))
                .hasMessage("class 1 has no trial to calibrate the bias on");
        assertThatThrownBy(() -> new ClassBiasCalibration(2, 4).add(new double[2], 2))
                .hasMessage("class 2 outside [0, 2)");
        assertThatThrownBy(() -> new ClassBiasCalibration(1, 4))
                .hasMessage("bias calibration needs >= 2 classes, got 1");
    }

    private static double objective(double[][] x, int[] c, double[] d) {
        int[] count = new int[2];
        for (int k : c) {
            count[k]++;
        }
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            double a = x[i][0] + d[0];
            double b = x[i][1] + d[1];
            double lse = Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
            f += ((c[i] == 0 ? lse - a : lse - b)) / (2.0 * count[c[i]]);
        }
        return f + 0.5 * ClassBiasCalibration.RIDGE * (d[0] * d[0] + d[1] * d[1]);
    }

    private static double accuracy(double[][] x, int[] c, double[] d, int cls) {
        int right = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (c[i] != cls) {
                continue;
            }
            n++;
            int decision = x[i][0] + d[0] >= x[i][1] + d[1] ? 0 : 1;
            right += decision == c[i] ? 1 : 0;
        }
        return right / (double) n;
    }
}
