package org.spikeloop.learn.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.data.Batch;

class InformationBottleneckTest {
    private static final int STEPS = 20;
    private static final double DT_MS = 1.0;
    private static final double PRIOR_HZ = 50.0; // π = 0.05 per step

    /**
     * Two samples of three neurons; neuron j of sample b fires counts[b][j] times, at the start.
     */
    private static final int[][] COUNTS = {{0, 1, 12}, {3, 20, 0}};

    private static Rollout rollout() {
        Batch batch = new Batch(new double[2 * STEPS], 2, STEPS, 1, Map.of());
        return new Rollout() {
            @Override
            public Batch batch() {
                return batch;
            }

            @Override
            public int steps() {
                return STEPS;
            }

            @Override
            public boolean spike(int pop, int t, int b, int j) {
                return t < COUNTS[b][j];
            }

            @Override
            public double membrane(int pop, int t, int b, int j) {
                return 0;
            }

            @Override
            public double readout(int t, int b, int o) {
                return 0;
            }
        };
    }

    /** R as a function of real-valued counts: the formula the class must differentiate. */
    private static double objective(double weight, double[][] counts) {
        double pi = PRIOR_HZ * DT_MS / 1000.0;
        double sum = 0;
        for (double[] sample : counts) {
            for (double n : sample) {
                sum += InformationBottleneck.bernoulliKl(InformationBottleneck.rate(n, STEPS), pi);
            }
        }
        return weight * sum / counts.length;
    }

    private static double[][] realCounts() {
        double[][] c = new double[COUNTS.length][];
        for (int b = 0; b < c.length; b++) {
            c[b] = new double[COUNTS[b].length];
            for (int j = 0; j < c[b].length; j++) {
                c[b][j] = COUNTS[b][j];
            }
        }
        return c;
    }

    /** Collects ∂R/∂z_t[j] of one sample. */
    private static double[] gradient(InformationBottleneck term, int sample) {
        double[] g = new double[3];
        term.addGradient(
                new GradientSink() {
                    @Override
                    public int step() {
                        return 7;
                    }

                    @Override
                    public int sample() {
                        return sample;
                    }

                    @Override
                    public void addSpike(int pop, int j, double v) {
                        g[j] += v;
                    }

                    @Override
                    public void addMembrane(int pop, int j, double v) {
                        throw new AssertionError("the term has no membrane partial");
                    }

                    @Override
                    public void addReadout(int o, double v) {
                        throw new AssertionError("the term has no readout partial");
                    }
                });
        return g;
    }

    @Test
    void shouldEvaluateTheMeanBernoulliKlOfTheEstimatedRates() {
        InformationBottleneck term =
                new InformationBottleneck(new int[] {0}, new int[] {3}, 0.3, PRIOR_HZ, DT_MS);
        double value = term.evaluate(rollout());
        assertThat(value).isCloseTo(objective(0.3, realCounts()), within(1e-15));
        // independent arithmetic for one entry: 12 spikes in 20 steps, q = 12.5/21
        double q = 12.5 / 21;
        double kl = q * Math.log(q / 0.05) + (1 - q) * Math.log((1 - q) / 0.95);
        assertThat(InformationBottleneck.bernoulliKl(InformationBottleneck.rate(12, STEPS), 0.05))
                .isCloseTo(kl, within(1e-15));
        assertThat(value).isGreaterThan(0);
    }

    @Test
    void shouldGiveEachSpikeTheCentralDifferenceOfTheObjectiveInItsCount() {
        double weight = 0.7;
        InformationBottleneck term =
                new InformationBottleneck(new int[] {0}, new int[] {3}, weight, PRIOR_HZ, DT_MS);
        term.evaluate(rollout());
        double h = 1e-5;
        for (int b = 0; b < COUNTS.length; b++) {
            double[] g = gradient(term, b);
            for (int j = 0; j < 3; j++) {
                double[][] up = realCounts();
                double[][] down = realCounts();
                up[b][j] += h;
                down[b][j] -= h;
                double numeric = (objective(weight, up) - objective(weight, down)) / (2 * h);
                assertThat(g[j]).as("sample %d neuron %d", b, j).isCloseTo(numeric, within(1e-8));
            }
        }
    }

    @Test
    void shouldPushRatesTowardThePriorFromBothSides() {
        InformationBottleneck term =
                new InformationBottleneck(new int[] {0}, new int[] {3}, 1.0, PRIOR_HZ, DT_MS);
        term.evaluate(rollout());
        double[] g = gradient(term, 0);
        // q = 0.5/21 < π: a spike lowers R; q = 12.5/21 > π: a spike raises it
        assertThat(g[0]).isNegative();
        assertThat(g[2]).isPositive();
    }

    @Test
    void shouldVanishAtThePrior() {
        // 1 spike in 20 steps: q = 1.5/21; the prior set to exactly that rate
        double hz = 1.5 / 21 * 1000.0;
        InformationBottleneck term =
                new InformationBottleneck(new int[] {0}, new int[] {3}, 1.0, hz, DT_MS);
        term.evaluate(rollout());
        assertThat(gradient(term, 0)[1]).isCloseTo(0.0, within(1e-15));
        assertThat(InformationBottleneck.bernoulliKl(1.5 / 21, 1.5 / 21)).isEqualTo(0.0);
    }
}
