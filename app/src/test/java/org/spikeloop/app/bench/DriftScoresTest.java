package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftScoresTest {
    private static final double BIN_S = 0.5;

    /**
     * Truth: two sines; estimate exact before {@code driftBin}, then rotated until {@code healBin}.
     */
    private static double[][][] series(int bins, int driftBin, int healBin, double degrees) {
        double[][] truth = new double[bins][2];
        double[][] est = new double[bins][2];
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        for (int b = 0; b < bins; b++) {
            truth[b][0] = Math.sin(0.3 * b);
            truth[b][1] = Math.cos(0.17 * b);
            boolean rotated = b >= driftBin && b < healBin;
            est[b][0] = rotated ? c * truth[b][0] - s * truth[b][1] : truth[b][0];
            est[b][1] = rotated ? s * truth[b][0] + c * truth[b][1] : truth[b][1];
        }
        return new double[][][] {truth, est};
    }

    @Test
    void shouldScorePerfectDecodingBeforeAndRotatedDecodingAfter() {
        double[][][] d = series(400, 100, 400, 30);

        DriftScores scores = DriftScores.of(d[0], d[1], BIN_S, 100, 10);

        assertThat(scores.r2Before()).isEqualTo(1.0);
        assertThat(scores.r2After()).isLessThan(0.9);
        assertThat(scores.r2At60s()).isLessThan(0.9);
        assertThat(scores.recoveryS()).isNull();
    }

    @Test
    void shouldReportTheTimeUntilAPostDriftWindowIsBackWithinTolerance() {
        // Healed 15 s (30 bins) after the drift; a 10-s (20-bin) window wholly after healing ends
        // 25 s after the drift.
        double[][][] d = series(400, 100, 130, 30);

        DriftScores scores = DriftScores.of(d[0], d[1], BIN_S, 100, 10);

        assertThat(scores.recoveryS()).isCloseTo(25.0, within(1.0));
        assertThat(scores.r2At60s()).isEqualTo(1.0);
        assertThat(scores.sliding()[10]).isNaN();
        assertThat(scores.sliding()[399]).isEqualTo(1.0);
    }

    @Test
    void shouldRejectADriftWithoutFullWindowsAroundIt() {
        double[][][] d = series(100, 10, 100, 30);

        assertThatThrownBy(() -> DriftScores.of(d[0], d[1], BIN_S, 10, 10))
                .hasMessage("need a full 10.0 s window before and after the drift");
    }
}
