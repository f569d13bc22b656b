package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrontEndSpecTest {

    @Test
    void shouldDescribeTheEegChain() {
        FrontEndSpec spec =
                FrontEndSpec.eegBandPower(22, 250, List.of(Band.MU, Band.BETA), 0.5, 125, 30);
        assertThat(spec.outputChannels()).isEqualTo(44);
        assertThat(spec.outputRateHz()).isEqualTo(125.0);
        FrontEndChain chain = spec.build();
        assertThat(chain.size()).isEqualTo(2);
        assertThat(chain.stage(0)).isInstanceOf(BandPower.class);
        assertThat(chain.stage(1)).isInstanceOf(RunningNormaliser.class);
        assertThat(chain.decimation()).isEqualTo(2);
    }

    @Test
    void shouldBuildIndependentChains() {
        FrontEndSpec spec = FrontEndSpec.spikeBinning(2, 1000, 0.002);
        FrontEndChain a = spec.build();
        FrontEndChain b = spec.build();
        float[] out = new float[2];
        a.accept(new float[] {1, 1}, out);
        assertThat(b.accept(new float[] {1, 1}, out)).isFalse();
        assertThat(a.accept(new float[] {1, 1}, out)).isTrue();
    }

    @Test
    void shouldPassFramesThroughAnEmptyChain() {
        FrontEndChain chain = new FrontEndSpec(2, 100, List.of()).build();
        float[] out = new float[2];
        assertThat(chain.accept(new float[] {1.5f, -2f}, out)).isTrue();
        assertThat(out).containsExactly(1.5f, -2f);
    }

    @Test
    void shouldRejectZeroChannels() {
        assertThatThrownBy(() -> FrontEndSpec.spikeBinning(0, 1000, 0.001))
                .hasMessage("front-end inputChannels must be >= 1, got 0");
    }

    @Test
    void shouldRejectABandAboveNyquistOfTheRateItRunsAt() {
        // 40 Hz is fine at 250 Hz but not after binning down to 50 Hz.
        assertThatThrownBy(
                        () ->
                                new FrontEndSpec(
                                        4,
                                        250,
                                        List.of(
                                                new StageSpec.Binning(0.02),
                                                new StageSpec.BandPass(new Band(8, 40), 4))))
                .hasMessage(
                        "front-end stage 1 (band-pass, on 4 channels at 50.0 Hz): band 8.0–40.0 Hz"
                                + " reaches the Nyquist frequency 25.0 Hz of a 50.0 Hz stream");
    }

    @Test
    void shouldRejectNonIntegerDecimation() {
        assertThatThrownBy(() -> FrontEndSpec.eegBandPower(22, 250, List.of(Band.MU), 0.5, 100, 30))
                .hasMessageStartingWith(
                        "front-end stage 0 (band-power, on 22 channels at 250.0 Hz): outputRateHz"
                                + " = 100.0 Hz does not divide the input rate 250.0 Hz");
        assertThatThrownBy(() -> FrontEndSpec.spikeBinning(96, 1000, 0.0015))
                .hasMessageStartingWith("front-end stage 0 (binning, on 96 channels at 1000.0 Hz)");
    }

    @Test
    void shouldRejectNegativeWindowsAndTimeConstants() {
        assertThatThrownBy(() -> new StageSpec.Power(List.of(Band.MU), 4, -1, 50, true))
                .hasMessage("band power windowS must be finite and > 0 s, got -1.0");
        assertThatThrownBy(() -> new StageSpec.Normalise(-3, 1e-6))
                .hasMessage("normalise timeConstantS must be finite and > 0, got -3.0");
        assertThatThrownBy(() -> new StageSpec.Binning(0))
                .hasMessage("binning dtS must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new StageSpec.BandPass(Band.MU, 3))
                .hasMessage("Butterworth order must be even in [2, 8], got 3");
    }

    @Test
    void shouldRejectANullStage() {
        java.util.ArrayList<StageSpec> stages = new java.util.ArrayList<>();
        stages.add(null);
        assertThatThrownBy(() -> new FrontEndSpec(2, 100, stages))
                .hasMessage("front-end stage 0 is null");
    }
}
