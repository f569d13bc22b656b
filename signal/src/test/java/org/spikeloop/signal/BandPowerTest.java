package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.testing.AllocationMeter;

class BandPowerTest {
    private static final double FS = 250.0;

    /** Last output frame after 20 s of sines: channel c has amplitude amps[c] at hz. */
    private static float[] run(BandPower power, double hz, double... amps) {
        float[] sample = new float[amps.length];
        float[] out = new float[power.outputChannels()];
        for (int t = 0; t < 5000; t++) {
            for (int c = 0; c < amps.length; c++) {
                sample[c] = (float) (amps[c] * Math.sin(2 * Math.PI * hz * t / FS + c));
            }
            power.accept(sample, out);
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"10, 2.0", "10, 7.5", "20, 3.0", "11, 1.0"})
    void shouldGiveHalfTheSquaredAmplitudeTimesTheFilterGain(double hz, double amplitude) {
        BandPower power = new BandPower(2, List.of(Band.MU, Band.BETA), FS, 4, 1.0, 50, false);
        float[] out = run(power, hz, amplitude, 0.0);
        double mu = Butterworth.gain(hz, 8, 12, FS, 4);
        double beta = Butterworth.gain(hz, 13, 30, FS, 4);
        double half = amplitude * amplitude / 2;
        // channel-major: out[c * bands + b]
        assertThat(out[0]).isCloseTo((float) (half * mu * mu), within((float) (0.02 * half)));
        assertThat(out[1]).isCloseTo((float) (half * beta * beta), within((float) (0.02 * half)));
        assertThat(out[2]).isZero();
        assertThat(out[3]).isZero();
    }

    @Test
    void shouldApproachASquaredOverTwoInsideAWideBand() {
        BandPower power = new BandPower(1, List.of(new Band(5, 40)), FS, 4, 2.0, 25, false);
        float[] out = run(power, 15, 4.0);
        assertThat(out[0]).isCloseTo(8.0f, within(0.08f));
    }

    @Test
    void shouldEmitTheLogOfThePower() {
        BandPower linear = new BandPower(1, List.of(Band.MU), FS, 4, 1.0, 50, false);
        BandPower log = new BandPower(1, List.of(Band.MU), FS, 4, 1.0, 50, true);
        float p = run(linear, 10, 3.0)[0];
        assertThat(run(log, 10, 3.0)[0]).isCloseTo((float) Math.log(p), within(1e-4f));
        BandPower silent = new BandPower(1, List.of(Band.MU), FS, 4, 1.0, 50, true);
        assertThat(run(silent, 10, 0.0)[0]).isEqualTo((float) Math.log(BandPower.LOG_FLOOR));
    }

    @Test
    void shouldEmitOnceEveryDecimationSamples() {
        BandPower power = new BandPower(3, List.of(Band.MU), FS, 4, 0.5, 62.5, true);
        assertThat(power.decimation()).isEqualTo(4);
        assertThat(power.windowSamples()).isEqualTo(125);
        float[] sample = new float[3];
        float[] out = new float[3];
        int frames = 0;
        for (int t = 1; t <= 1000; t++) {
            boolean ready = power.accept(sample, out);
            assertThat(ready).isEqualTo(t % 4 == 0);
            frames += ready ? 1 : 0;
        }
        assertThat(frames).isEqualTo(250);
    }

    @Test
    void shouldRestartFromSilenceAfterReset() {
        BandPower power = new BandPower(1, List.of(Band.MU), FS, 4, 1.0, 250, false);
        run(power, 10, 5.0);
        power.reset();
        float[] out = new float[1];
        power.accept(new float[] {0}, out);
        assertThat(out[0]).isZero();
    }

    @Test
    void shouldRejectBadConfigurations() {
        assertThatThrownBy(() -> new BandPower(2, List.of(new Band(100, 130)), FS, 4, 1, 50, true))
                .hasMessage(
                        "band 100.0–130.0 Hz reaches the Nyquist frequency 125.0 Hz of a 250.0 Hz"
                                + " stream");
        assertThatThrownBy(() -> new BandPower(2, List.of(Band.MU), FS, 4, 1, 60, true))
                .hasMessageContaining("outputRateHz = 60.0 Hz does not divide the input rate");
        assertThatThrownBy(() -> new BandPower(2, List.of(Band.MU), FS, 4, -0.5, 50, true))
                .hasMessage("windowS must be finite and > 0 s, got -0.5");
        assertThatThrownBy(() -> new BandPower(0, List.of(Band.MU), FS, 4, 1, 50, true))
                .hasMessage("channels must be >= 1, got 0");
        assertThatThrownBy(() -> new BandPower(2, List.of(), FS, 4, 1, 50, true))
                .hasMessage("band power needs at least one band");
        assertThatThrownBy(() -> new BandPower(2, List.of(Band.MU), FS, 5, 1, 50, true))
                .hasMessage("order must be even in [2, 8], got 5");
        assertThatThrownBy(() -> new Band(12, 8))
                .hasMessage("band highHz must be finite and > lowHz = 12.0, got 8.0");
        assertThatThrownBy(() -> new Band(0, 8))
                .hasMessage("band lowHz must be finite and > 0, got 0.0");
    }

    @Test
    void shouldNotAllocatePerSample() {
        BandPower power = new BandPower(22, List.of(Band.MU, Band.BETA), FS, 4, 0.5, 50, true);
        float[] sample = new float[22];
        float[] out = new float[44];
        for (int t = 0; t < 20_000; t++) {
            sample[t % 22] = (float) Math.sin(t);
            power.accept(sample, out);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 50_000; t++) {
            sample[t % 22] = (float) Math.sin(t);
            power.accept(sample, out);
        }
        // Under 1 KiB over the whole loop: nothing per sample (the meter itself may allocate once).
        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }
}
