package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class SpikeBinnerTest {

    @Test
    void shouldSumEachBinOfCounts() {
        SpikeBinner binner = new SpikeBinner(3, 1000, 0.004);
        assertThat(binner.decimation()).isEqualTo(4);
        assertThat(binner.outputRateHz()).isEqualTo(250.0);
        SplittableRandom random = new SplittableRandom(7);
        float[] sample = new float[3];
        float[] out = new float[3];
        float[] expected = new float[3];
        int bins = 0;
        for (int t = 1; t <= 400; t++) {
            for (int c = 0; c < 3; c++) {
                sample[c] = random.nextInt(3);
                expected[c] += sample[c];
            }
            boolean ready = binner.accept(sample, out);
            assertThat(ready).isEqualTo(t % 4 == 0);
            if (ready) {
                assertThat(out).containsExactly(expected);
                java.util.Arrays.fill(expected, 0);
                bins++;
            }
        }
        assertThat(bins).isEqualTo(100);
    }

    @Test
    void shouldStartAnEmptyBinAfterReset() {
        SpikeBinner binner = new SpikeBinner(1, 1000, 0.002);
        float[] out = new float[1];
        binner.accept(new float[] {5}, out);
        binner.reset();
        assertThat(binner.accept(new float[] {1}, out)).isFalse();
        assertThat(binner.accept(new float[] {2}, out)).isTrue();
        assertThat(out[0]).isEqualTo(3f);
    }

    @Test
    void shouldRejectANonIntegerSamplesPerBin() {
        assertThatThrownBy(() -> new SpikeBinner(4, 1000, 0.0025))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not divide the input rate 1000.0 Hz")
                .hasMessageContaining("ratio 2.5");
    }

    @Test
    void shouldRejectABinShorterThanOneSample() {
        assertThatThrownBy(() -> new SpikeBinner(4, 1000, 0.0001))
                .hasMessageContaining("ratio 0.1");
    }

    @Test
    void shouldRejectZeroChannelsAndNonPositiveSteps() {
        assertThatThrownBy(() -> new SpikeBinner(0, 1000, 0.001))
                .hasMessage("channels must be >= 1, got 0");
        assertThatThrownBy(() -> new SpikeBinner(2, 1000, -0.001))
                .hasMessage("dtS must be finite and > 0, got -0.001");
        assertThatThrownBy(() -> new SpikeBinner(2, 0, 0.001))
                .hasMessage("inputRateHz must be finite and > 0, got 0.0");
    }

    @Test
    void shouldNotAllocatePerSample() {
        SpikeBinner binner = new SpikeBinner(96, 1000, 0.01);
        float[] sample = new float[96];
        float[] out = new float[96];
        for (int t = 0; t < 20_000; t++) {
            binner.accept(sample, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 100_000; t++) {
            sample[t % 96] = 1;
            binner.accept(sample, out);
        }
        // Under 1 KiB over the whole loop: nothing per sample (the meter itself may allocate once).
        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }
}
