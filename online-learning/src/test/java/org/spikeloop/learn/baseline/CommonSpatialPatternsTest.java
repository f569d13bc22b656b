package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CommonSpatialPatternsTest {
    private static final int CHANNELS = 8;

    /**
     * Trials of mixed white sources: source 0 has std 3 in class 0 and 1 in class 1, source 1 the
     * reverse, the rest std 1 always.
     */
    private static double[][][] trials(MixedSources mix, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] trials = new double[labels.length][CHANNELS][300];
        double[] s = new double[CHANNELS];
        double[] x = new double[CHANNELS];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            for (int t = 0; t < 300; t++) {
                for (int j = 0; j < CHANNELS; j++) {
                    double std = 1;
                    if (j == 0) {
                        std = labels[i] == 0 ? 3 : 1;
                    } else if (j == 1) {
                        std = labels[i] == 0 ? 1 : 3;
                    }
                    s[j] = std * rng.nextGaussian();
                }
                mix.mix(s, x);
                for (int c = 0; c < CHANNELS; c++) {
                    trials[i][c][t] = x[c];
                }
            }
        }
        return trials;
    }

    @Test
    void shouldRecoverTheKnownDiscriminativeSources() {
        MixedSources mix = new MixedSources(CHANNELS, 1);
        int[] labels = new int[100];
        double[][][] trials = trials(mix, labels, 2);

        CommonSpatialPatterns csp = CommonSpatialPatterns.fit(trials, labels, 2, 2);

        // First filter: most class-0 variance → isolates source 0; last filter isolates source 1.
        assertThat(csp.filterCount()).isEqualTo(4);
        assertThat(mix.selectivity(csp.filter(0), 0)).isGreaterThan(0.97);
        assertThat(mix.selectivity(csp.filter(3), 1)).isGreaterThan(0.97);
        // λ = var share of class 0: 9/(9+1) for source 0, 1/(1+9) for source 1.
        assertThat(csp.eigenvalue(0)).isBetween(0.85, 0.95);
        assertThat(csp.eigenvalue(3)).isBetween(0.05, 0.15);
        assertThat(csp.eigenvalue(1)).isBetween(0.4, 0.6);
    }

    @Test
    void shouldBuildOneVersusRestFiltersForThreeClasses() {
        MixedSources mix = new MixedSources(CHANNELS, 3);
        int[] labels = new int[90];
        double[][][] trials = trials(mix, labels, 4);
        for (int i = 0; i < labels.length; i++) {
            labels[i] =
                    i % 3; // class 2 gets whatever mixture its trials had; shapes are what count
        }

        CommonSpatialPatterns csp = CommonSpatialPatterns.fit(trials, labels, 3, 1);

        assertThat(csp.filterCount()).isEqualTo(6);
    }

    @Test
    void shouldRejectInconsistentInput() {
        double[][][] trials = new double[4][CHANNELS][10];

        assertThatThrownBy(() -> CommonSpatialPatterns.fit(trials, new int[3], 2, 1))
                .hasMessage("CSP needs one label per trial, got 4 trials and 3 labels");
        assertThatThrownBy(() -> CommonSpatialPatterns.fit(trials, new int[4], 2, 5))
                .hasMessage("pairs must be in [1, channels / 2 = 4], got 5");
        assertThatThrownBy(() -> CommonSpatialPatterns.fit(trials, new int[4], 2, 1))
                .hasMessage("a trial has zero power on every channel");
        assertThatThrownBy(() -> CommonSpatialPatterns.fit(trials, new int[4], 1, 1))
                .hasMessage("CSP needs >= 2 classes, got 1");
    }
}
