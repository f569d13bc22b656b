package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class FrontEndChainTest {

    @Test
    void shouldFeedEachStageTheOutputOfThePreviousOne() {
        SpikeBinner first = new SpikeBinner(2, 1000, 0.002);
        SpikeBinner second = new SpikeBinner(2, 500, 0.01);
        FrontEndChain chain = new FrontEndChain(List.of(first, second));
        assertThat(chain.decimation()).isEqualTo(10);
        assertThat(chain.outputRateHz()).isEqualTo(100.0);
        float[] out = new float[2];
        for (int t = 1; t <= 30; t++) {
            boolean ready = chain.accept(new float[] {1, 2}, out);
            assertThat(ready).isEqualTo(t % 10 == 0);
            if (ready) {
                assertThat(out).containsExactly(10f, 20f);
            }
        }
    }

    @Test
    void shouldMatchTheStagesRunByHand() {
        List<Band> bands = List.of(Band.MU, Band.BETA);
        FrontEndChain chain =
                new FrontEndChain(
                        List.of(
                                new BandPower(3, bands, 250, 4, 0.5, 50, true),
                                new RunningNormaliser(6, 50, 10, 1e-6)));
        BandPower power = new BandPower(3, bands, 250, 4, 0.5, 50, true);
        RunningNormaliser norm = new RunningNormaliser(6, 50, 10, 1e-6);
        float[] sample = new float[3];
        float[] mid = new float[6];
        float[] expected = new float[6];
        float[] out = new float[6];
        for (int t = 0; t < 2000; t++) {
            for (int c = 0; c < 3; c++) {
                sample[c] = (float) Math.sin(0.3 * t * (c + 1));
            }
            boolean byHand = power.accept(sample, mid) && norm.accept(mid, expected);
            assertThat(chain.accept(sample, out)).isEqualTo(byHand);
            if (byHand) {
                assertThat(out).containsExactly(expected);
            }
        }
    }

    @Test
    void shouldRejectMismatchedStages() {
        assertThatThrownBy(
                        () ->
                                new FrontEndChain(
                                        List.of(
                                                new BandPower(
                                                        3, List.of(Band.MU), 250, 4, 1, 50, true),
                                                new RunningNormaliser(4, 50, 5, 1e-6))))
                .hasMessage("stage 1 (RunningNormaliser) takes 4 channels but stage 0 emits 3");
        assertThatThrownBy(
                        () ->
                                new FrontEndChain(
                                        List.of(
                                                new SpikeBinner(3, 1000, 0.01),
                                                new RunningNormaliser(3, 1000, 5, 1e-6))))
                .hasMessage(
                        "stage 1 (RunningNormaliser) expects 1000.0 Hz but stage 0 emits 100.0 Hz");
        assertThatThrownBy(() -> new FrontEndChain(List.of()))
                .hasMessage("a front-end chain needs at least one stage");
    }

    @Test
    void shouldNotAllocatePerSample() {
        FrontEndChain chain =
                FrontEndSpec.eegBandPower(22, 250, List.of(Band.MU, Band.BETA), 0.5, 50, 30)
                        .build();
        float[] sample = new float[22];
        float[] out = new float[chain.outputChannels()];
        for (int t = 0; t < 20_000; t++) {
            sample[t % 22] = (float) Math.sin(t);
            chain.accept(sample, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 50_000; t++) {
            sample[t % 22] = (float) Math.sin(t);
            chain.accept(sample, out);
        }
        // Under 1 KiB over the whole loop: nothing per sample (the meter itself may allocate once).
        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }
}
