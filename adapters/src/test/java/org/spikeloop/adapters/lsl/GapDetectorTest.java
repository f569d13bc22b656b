package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GapDetectorTest {
    private static double[] stamps(double start, double rate, int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i / rate;
        }
        return t;
    }

    @Test
    void shouldReportNoGapForContiguousChunks() {
        GapDetector d = new GapDetector(1000, 1.5);
        assertThat(d.onTimestamps(stamps(10, 1000, 50), 50)).isZero();
        assertThat(d.onTimestamps(stamps(10.050, 1000, 50), 50)).isZero();
        assertThat(d.gaps()).isZero();
        assertThat(d.samples()).isEqualTo(100);
    }

    @Test
    void shouldCountSamplesDroppedBetweenChunks() {
        GapDetector d = new GapDetector(1000, 1.5);
        d.onTimestamps(stamps(10, 1000, 50), 50);
        // the inlet dropped 37 samples: the next chunk starts at sample 87
        assertThat(d.onTimestamps(stamps(10.087, 1000, 10), 10)).isEqualTo(37);
        assertThat(d.gaps()).isEqualTo(1);
        assertThat(d.missingSamples()).isEqualTo(37);
    }

    @Test
    void shouldCountBackwardStepsWithoutCallingThemLoss() {
        GapDetector d = new GapDetector(100, 2);
        d.onTimestamps(new double[] {5.00, 5.01, 5.02, 1.00, 1.01}, 5);
        assertThat(d.backwardSteps()).isEqualTo(1);
        assertThat(d.largestBackwardStepS())
                .isCloseTo(4.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.missingSamples()).isZero();
    }

    @Test
    void shouldOnlyCheckOrderingForIrregularStreams() {
        GapDetector d = new GapDetector(0, 2);
        d.onTimestamps(new double[] {1, 50, 51, 49}, 4);
        assertThat(d.gaps()).isZero();
        assertThat(d.backwardSteps()).isEqualTo(1);
    }

    @Test
    void shouldRejectToleranceBelowOneAndAHalfIntervals() {
        assertThatThrownBy(() -> new GapDetector(100, 1.0))
                .hasMessageContaining("toleranceIntervals");
    }
}
