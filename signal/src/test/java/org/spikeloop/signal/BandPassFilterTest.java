package org.spikeloop.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BandPassFilterTest {
    private static final double FS = 250.0;

    /** Steady-state amplitude gain for a sine at {@code hz} (channel 1 of 2). */
    private static double gain(double hz) {
        BandPassFilter filter = new BandPassFilter(2, 8, 30, FS, 4);
        double[] frame = new double[2];
        double peak = 0;
        for (int t = 0; t < 20_000; t++) {
            frame[0] = 0;
            frame[1] = Math.sin(2 * Math.PI * hz * t / FS);
            filter.filter(frame);
            if (t > 15_000) {
                peak = Math.max(peak, Math.abs(frame[1]));
            }
        }
        return peak;
    }

    @ParameterizedTest
    @CsvSource({
        "15, 1.0, 0.03",
        "8, 0.7071, 0.03",
        "30, 0.7071, 0.03",
        "2, 0.0, 0.01",
        "70, 0.0, 0.03"
    })
    void shouldHaveTheButterworthMagnitudeResponse(double hz, double expected, double tolerance) {
        assertThat(gain(hz)).isCloseTo(expected, within(tolerance));
    }

    @Test
    void shouldKeepChannelsIndependent() {
        BandPassFilter filter = new BandPassFilter(2, 8, 30, FS, 4);
        double[] frame = new double[2];
        for (int t = 0; t < 1000; t++) {
            frame[0] = 0;
            frame[1] = Math.sin(t);
            filter.filter(frame);
            assertThat(frame[0]).isZero();
        }
    }

    @Test
    void shouldRejectImpossibleBands() {
        assertThatThrownBy(() -> new BandPassFilter(2, 30, 8, FS, 4))
                .hasMessage(
                        "band-pass needs 0 < lowHz < highHz < sampleRateHz / 2, got 30.0, 8.0, 250.0");
        assertThatThrownBy(() -> new BandPassFilter(2, 8, 30, FS, 3))
                .hasMessage("order must be even in [2, 8], got 3");
        assertThatThrownBy(() -> new BandPassFilter(0, 8, 30, FS, 4))
                .hasMessage("channels must be >= 1, got 0");
    }
}
