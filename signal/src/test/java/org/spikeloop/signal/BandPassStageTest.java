package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.testing.AllocationMeter;

class BandPassStageTest {
    private static final double FS = 250.0;

    /** Steady-state amplitude of the stage's response to a unit sine on channel 1 of 2. */
    private static double measuredGain(double hz) {
        BandPassStage stage = new BandPassStage(2, 8, 30, FS, 4);
        float[] sample = new float[2];
        float[] out = new float[2];
        double sumSquares = 0;
        int n = 0;
        for (int t = 0; t < 25_000; t++) {
            sample[1] = (float) Math.sin(2 * Math.PI * hz * t / FS);
            assertThat(stage.accept(sample, out)).isTrue();
            assertThat(out[0]).isZero();
            if (t >= 5_000) {
                sumSquares += out[1] * out[1];
                n++;
            }
        }
        return Math.sqrt(2 * sumSquares / n);
    }

    @ParameterizedTest
    @ValueSource(doubles = {2, 5, 8, 10, 15, 20, 30, 40, 60, 90})
    void shouldMatchTheAnalyticButterworthMagnitude(double hz) {
        double expected = Butterworth.gain(hz, 8, 30, FS, 4);
        assertThat(measuredGain(hz)).isCloseTo(expected, within(0.01 + 0.01 * expected));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 22})
    void shouldNotAllocatePerSample(int channels) {
        BandPassStage stage = new BandPassStage(channels, 8, 30, FS, 4);
        float[] sample = new float[channels];
        float[] out = new float[channels];
        for (int t = 0; t < 20_000; t++) {
            sample[t % channels] = (float) Math.sin(t);
            stage.accept(sample, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 50_000; t++) {
            sample[t % channels] = (float) Math.sin(t);
            stage.accept(sample, out);
        }
        // Under 1 KiB over the whole loop: nothing per sample (the meter itself may allocate once).
        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }
}
