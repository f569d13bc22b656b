package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class SlidingR2Test {

    @Test
    void shouldBeOneForPerfectAndZeroForMeanPredictions() {
        double[][] y = {{1, 2}, {2, 0}, {3, 5}, {4, 1}};
        double[][] perfect = y;
        double[][] mean = {{2.5, 2}, {2.5, 2}, {2.5, 2}, {2.5, 2}};

        assertThat(SlidingR2.of(y, perfect)).isEqualTo(1.0);
        assertThat(SlidingR2.of(y, mean)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void shouldAverageTheDimensionsScores() {
        // dim 0: y = 1,2,3 pred = 1,2,4 → SSE 1, SST 2 → 0.5; dim 1 perfect → 1.
        double[][] y = {{1, 0}, {2, 1}, {3, 0}};
        double[][] p = {{1, 0}, {2, 1}, {4, 0}};

        assertThat(SlidingR2.of(y, p)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void shouldMatchTheBatchScoreOfTheLastWindowSamples() {
        SplittableRandom rng = new SplittableRandom(1);
        int window = 50;
        SlidingR2 sliding = new SlidingR2(2, window);
        double[][] y = new double[1000][2];
        double[][] p = new double[1000][2];
        for (int t = 0; t < 1000; t++) {
            for (int k = 0; k < 2; k++) {
                y[t][k] = rng.nextGaussian() * (t < 500 ? 1 : 3);
                p[t][k] = y[t][k] + rng.nextGaussian() * 0.5;
            }
            sliding.add(y[t], p[t]);
            if (t >= window - 1 && t % 37 == 0) {
                double batch =
                        SlidingR2.of(
                                java.util.Arrays.copyOfRange(y, t - window + 1, t + 1),
                                java.util.Arrays.copyOfRange(p, t - window + 1, t + 1));
                assertThat(sliding.value()).isCloseTo(batch, within(1e-9));
            }
        }
        assertThat(sliding.isFull()).isTrue();
    }

    @Test
    void shouldBeNaNUntilTwoSamplesAndAfterReset() {
        SlidingR2 r2 = new SlidingR2(1, 10);
        assertThat(r2.value()).isNaN();
        r2.add(new double[] {1}, new double[] {1});
        r2.add(new double[] {2}, new double[] {2});
        assertThat(r2.value()).isEqualTo(1.0);

        r2.reset();

        assertThat(r2.value()).isNaN();
        assertThat(r2.count()).isZero();
    }

    @Test
    void shouldNotAllocatePerSample() {
        SlidingR2 r2 = new SlidingR2(2, 100);
        double[] y = {1, 2};
        double[] p = {1.5, 2.5};
        for (int t = 0; t < 50_000; t++) {
            r2.add(y, p);
            r2.value();
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 100_000; t++) {
            y[0] = t % 7;
            r2.add(y, p);
            r2.value();
        }

        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }

    @Test
    void shouldRejectBadShapes() {
        assertThatThrownBy(() -> new SlidingR2(0, 10)).hasMessage("dims must be >= 1, got 0");
        assertThatThrownBy(() -> new SlidingR2(2, 1))
                .hasMessage("window must be >= 2 samples, got 1");
    }
}
