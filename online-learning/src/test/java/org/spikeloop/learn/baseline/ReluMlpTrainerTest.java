package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReluMlpTrainerTest {
    /** x ~ U(−1, 1)^4, t = (|x0| + x1, max(0, x2 − x3)): needs the hidden ReLUs. */
    static double[][][] regressionData(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][4];
        double[][] t = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                x[i][k] = 2 * rng.nextDouble() - 1;
            }
            t[i][0] = Math.abs(x[i][0]) + x[i][1];
            t[i][1] = Math.max(0, x[i][2] - x[i][3]);
        }
        return new double[][][] {x, t};
    }

    static double mse(ReluMlp net, double[][] x, double[][] t) {
        double[] y = new double[net.outputs()];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            net.predict(x[i], y);
            for (int k = 0; k < y.length; k++) {
                s += (y[k] - t[i][k]) * (y[k] - t[i][k]);
            }
        }
        return s / (x.length * net.outputs());
    }

    @Test
    void shouldFitANonlinearRegressionFarBelowItsVariance() {
        double[][][] train = regressionData(2000, 1);
        double[][][] test = regressionData(500, 2);
        ReluMlp net = new ReluMlp(new int[] {4, 32, 2}, 3);
        double before = mse(net, test[0], test[1]);
        new ReluMlpTrainer(60, 32, 3e-3, 1e-5, 4).fitRegression(net, train[0], train[1]);
        double after = mse(net, test[0], test[1]);
        // the targets' variance is ≈ 0.33 and 0.17; a linear fit leaves ≈ 0.04 of the first
        assertThat(after).isLessThan(0.01).isLessThan(before / 10);
    }

    @Test
    void shouldSeparateTwoClassesByCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 600;
        double[][] x = new double[n][2];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i % 2;
            double r = c[i] == 0 ? 0.5 : 1.5; // two rings: not linearly separable
            double a = 2 * Math.PI * rng.nextDouble();
            x[i][0] = r * Math.cos(a) + 0.1 * (rng.nextDouble() - 0.5);
            x[i][1] = r * Math.sin(a) + 0.1 * (rng.nextDouble() - 0.5);
        }
        ReluMlp net = new ReluMlp(new int[] {2, 16, 2}, 6);
        new ReluMlpTrainer(100, 16, 1e-2, 0, 7).fitClassification(net, x, c);
        double[] y = new double[2];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            net.predict(x[i], y);
            correct += (y[1] > y[0] ? 1 : 0) == c[i] ? 1 : 0;
        }
        assertThat(correct / (double) n).isGreaterThan(0.97);
    }

    @Test
    void shouldGiveTheCrossEntropyGradientSoftmaxMinusOneHot() {
        double[] d = new double[3];
        ReluMlpTrainer.outputDelta(new double[] {1, 2, 3}, null, 2, d);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(d)
                .containsExactly(
                        new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z - 1},
                        org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void shouldRefuseALabelOutsideTheOutputs() {
        ReluMlp net = new ReluMlp(new int[] {2, 3, 2}, 1);
        assertThatThrownBy(
                        () ->
                                new ReluMlpTrainer(1, 1, 1e-3, 0, 1)
                                        .fitClassification(
                                                net, new double[][] {{0, 0}}, new int[] {2}))
                .hasMessage("label 2 outside [0, 2)");
    }
}
