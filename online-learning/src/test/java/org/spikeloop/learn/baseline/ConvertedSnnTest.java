package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConvertedSnnTest {
    private static ReluMlp trained() {
        double[][][] train = ReluMlpTrainerTest.regressionData(2000, 1);
        ReluMlp net = new ReluMlp(new int[] {4, 32, 16, 2}, 3);
        new ReluMlpTrainer(40, 32, 3e-3, 1e-5, 4).fitRegression(net, train[0], train[1]);
        return net;
    }

    /** Mean squared difference between the converted network's output and the ANN's. */
    private static double gap(ReluMlp ann, ConvertedSnn snn, double[][] x, int steps) {
        double[] a = new double[2];
        double[] b = new double[2];
        double s = 0;
        for (double[] xi : x) {
            ann.predict(xi, a);
            snn.decide(xi, steps, b);
            s += (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]);
        }
        return s / (2 * x.length);
    }

    @Test
    void shouldApproachTheAnnAsTheTimeBudgetGrows() {
        ReluMlp ann = trained();
        double[][] train = ReluMlpTrainerTest.regressionData(2000, 1)[0];
        double[][] test = ReluMlpTrainerTest.regressionData(300, 9)[0];
        ConvertedSnn snn = ConvertedSnn.convert(ann, train);
        double g10 = gap(ann, snn, test, 10);
        double g50 = gap(ann, snn, test, 50);
        double g200 = gap(ann, snn, test, 200);
        double g2000 = gap(ann, snn, test, 2000);
        assertThat(g10).isGreaterThan(g50);
        assertThat(g50).isGreaterThan(g200);
        assertThat(g200).isGreaterThan(g2000);
        // the targets' variance is ≈ 0.25: at T = 2000 the rates have settled to well below it
        assertThat(g2000).isLessThan(1e-3);
    }

    @Test
    void shouldScaleEachLayerByThePercentileOfItsPositiveActivations() {
        assertThat(ConvertedSnn.percentile(new double[] {5, 1, 3, 2, 4}, 5, 100)).isEqualTo(5);
        assertThat(ConvertedSnn.percentile(new double[] {5, 1, 3, 2, 4}, 5, 50)).isEqualTo(3);
        assertThat(ConvertedSnn.percentile(new double[0], 0, 99.9)).isEqualTo(1);
        ReluMlp ann = trained();
        double[][] train = ReluMlpTrainerTest.regressionData(2000, 1)[0];
        ConvertedSnn snn = ConvertedSnn.convert(ann, train);
        double[][] a = ann.activations();
        double max = 0;
        int above = 0;
        int positive = 0;
        for (double[] x : train) {
            ann.forward(x, a);
            for (double u : a[1]) {
                max = Math.max(max, u);
                positive += u > 0 ? 1 : 0;
                above += u > snn.scale(1) ? 1 : 0;
            }
        }
        assertThat(snn.scale(1)).isGreaterThan(0).isLessThanOrEqualTo(max);
        assertThat(above / (double) positive).isCloseTo(0.001, within(0.001));
    }

    @Test
    void shouldStartEveryDecisionFromRest() {
        ReluMlp ann = trained();
        ConvertedSnn snn = ConvertedSnn.convert(ann, ReluMlpTrainerTest.regressionData(500, 1)[0]);
        double[] x = {0.3, -0.2, 0.5, 0.1};
        double[] first = new double[2];
        double[] again = new double[2];
        snn.decide(x, 10, first);
        snn.decide(new double[] {1, 1, 1, 1}, 37, new double[2]);
        snn.decide(x, 10, again);
        assertThat(again).containsExactly(first);
    }
}
