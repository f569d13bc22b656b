package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class RunningNormaliserTest {
    private static final double FS = 50.0;

    /** Mean and variance of the normaliser's output on {@code n} samples of N(mean, sd²). */
    private static double[] outputMoments(
            RunningNormaliser norm, SplittableRandom random, int n, double mean, double sd) {
        float[] sample = new float[1];
        float[] out = new float[1];
        double sum = 0;
        double sumSq = 0;
        for (int t = 0; t < n; t++) {
            sample[0] = (float) (mean + sd * random.nextGaussian());
            norm.accept(sample, out);
            sum += out[0];
            sumSq += out[0] * out[0];
        }
        double m = sum / n;
        return new double[] {m, sumSq / n - m * m};
    }

    @Test
    void shouldGiveZeroMeanUnitVarianceOnAStationarySignal() {
        RunningNormaliser norm = new RunningNormaliser(1, FS, 20, 1e-6);
        SplittableRandom random = new SplittableRandom(3);
        outputMoments(norm, random, 2000, 40, 3); // settle: 2 time constants
        double[] moments = outputMoments(norm, random, 20_000, 40, 3);
        assertThat(moments[0]).isCloseTo(0, within(0.05));
        assertThat(moments[1]).isCloseTo(1, within(0.05));
    }

    @Test
    void shouldBeUnbiasedDuringWarmUp() {
        RunningNormaliser norm = new RunningNormaliser(1, FS, 1000, 1e-6);
        float[] out = new float[1];
        norm.accept(new float[] {10}, out);
        assertThat(out[0]).isZero(); // one sample: x equals the mean
        norm.accept(new float[] {12}, out);
        // cumulative mean 11, population variance 1 → z = (12 − 11) / 1
        assertThat(out[0]).isCloseTo(1f, within(1e-4f));
    }

    @Test
    void shouldAdaptAfterAStepChange() {
        RunningNormaliser norm = new RunningNormaliser(1, FS, 5, 1e-6);
        SplittableRandom random = new SplittableRandom(5);
        outputMoments(norm, random, 2000, 0, 1);
        float[] out = new float[1];
        norm.accept(new float[] {50}, out);
        assertThat(out[0]).isGreaterThan(3f); // the step stands out at first
        outputMoments(norm, random, 5 * 5 * 50, 50, 10); // five time constants at the new level
        double[] moments = outputMoments(norm, random, 20_000, 50, 10);
        assertThat(moments[0]).isCloseTo(0, within(0.1));
        assertThat(moments[1]).isCloseTo(1, within(0.1));
    }

    @Test
    void shouldKeepAFlatChannelAtZero() {
        RunningNormaliser norm = new RunningNormaliser(2, FS, 5, 1e-6);
        float[] sample = {3, 0};
        float[] out = new float[2];
        for (int t = 0; t < 1000; t++) {
            sample[1] = (float) Math.sin(t);
            norm.accept(sample, out);
            assertThat(out[0]).isZero();
            assertThat(Float.isFinite(out[1])).isTrue();
        }
    }

    @Test
    void shouldRejectBadParameters() {
        assertThatThrownBy(() -> new RunningNormaliser(0, FS, 5, 1e-6))
                .hasMessage("channels must be >= 1, got 0");
        assertThatThrownBy(() -> new RunningNormaliser(2, FS, -5, 1e-6))
                .hasMessage("timeConstantS must be finite and > 0, got -5.0");
        assertThatThrownBy(() -> new RunningNormaliser(2, FS, 5, 0))
                .hasMessage("varianceFloor must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new RunningNormaliser(2, Double.NaN, 5, 1e-6))
                .hasMessage("inputRateHz must be finite and > 0, got NaN");
    }

    @Test
    void shouldNotAllocatePerSample() {
        RunningNormaliser norm = new RunningNormaliser(44, FS, 5, 1e-6);
        float[] sample = new float[44];
        float[] out = new float[44];
        for (int t = 0; t < 20_000; t++) {
            sample[t % 44] = (float) Math.sin(t);
            norm.accept(sample, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 50_000; t++) {
            sample[t % 44] = (float) Math.sin(t);
            norm.accept(sample, out);
        }
        // Under 1 KiB over the whole loop: nothing per sample (the meter itself may allocate once).
        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }
}
