package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearDiscriminantTest {
    private static final double[][] MEANS = {{0, 0, 0}, {1, 2, 0}};
    // Σ = L Lᵀ with L = [[1,0,0],[0.5,1.3229,0],[0,0,1]] → Σ = [[1,0.5,0],[0.5,2,0],[0,0,1]].
    private static final double[][] CHOL = {{1, 0, 0}, {0.5, Math.sqrt(1.75), 0}, {0, 0, 1}};

    private static double[][] sample(int n, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double[] e = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            for (int r = 0; r < 3; r++) {
                double v = MEANS[labels[i]][r];
                for (int c = 0; c < 3; c++) {
                    v += CHOL[r][c] * e[c];
                }
                x[i][r] = v;
            }
        }
        return x;
    }

    @Test
    void shouldFindTheBayesOptimalDirection() {
        int[] labels = new int[20_000];
        double[][] x = sample(20_000, labels, 1);

        LinearDiscriminant lda = LinearDiscriminant.fit(x, labels, 2, 0.0);

        // Σ⁻¹(μ1 − μ0) for Σ above and μ1 − μ0 = (1, 2, 0): (0, 1, 0)·... solve by hand:
        // [[1, .5], [.5, 2]]⁻¹ (1, 2) = (1/1.75)·(2·1 − .5·2, −.5·1 + 1·2) = (0.5714, 0.8571).
        double[] expected = {0.5714, 0.8571, 0.0};
        double[] w0 = lda.weights(0);
        double[] w1 = lda.weights(1);
        for (int j = 0; j < 3; j++) {
            assertThat(w1[j] - w0[j]).isCloseTo(expected[j], within(0.03));
        }
    }

    @Test
    void shouldReachTheBayesAccuracyOnHeldOutData() {
        int[] trainLabels = new int[5000];
        double[][] train = sample(5000, trainLabels, 2);
        int[] testLabels = new int[20_000];
        double[][] test = sample(20_000, testLabels, 3);
        LinearDiscriminant lda = LinearDiscriminant.fit(train, trainLabels, 2, 0.0);
        double[] scratch = new double[2];
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            if (lda.predict(test[i], scratch) == testLabels[i]) {
                correct++;
            }
        }
        // Mahalanobis distance Δ² = (1,2)·(0.5714, 0.8571) = 2.2857; Bayes accuracy Φ(Δ/2) =
        // 0.7756.
        assertThat(correct / (double) test.length).isCloseTo(0.7756, within(0.015));
    }

    @Test
    void shouldRejectAClassWithoutRowsAndBadShrinkage() {
        double[][] x = {{1}, {2}, {3}};

        assertThatThrownBy(() -> LinearDiscriminant.fit(x, new int[] {0, 0, 0}, 2, 0.1))
                .hasMessage("class 1 has no rows");
        assertThatThrownBy(() -> LinearDiscriminant.fit(x, new int[] {0, 1, 0}, 2, 1.5))
                .hasMessage("shrinkage must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> LinearDiscriminant.fit(x, new int[] {0, 1, 2}, 2, 0.1))
                .hasMessage("label 2 of row 2 outside [0, 2)");
    }
}
