package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionScoreTest {
    @Test
    void shouldScoreEachOutputOnItsOwn() {
        double[] y = {0, 10, 1, 20, 2, 30, 3, 40};
        float[] perfectFirstMeanSecond = {0, 25, 1, 25, 2, 25, 3, 25};
        RegressionScore s = RegressionScore.of(perfectFirstMeanSecond, y, 2, 0, 4);
        assertThat(s.r2()[0]).isCloseTo(1.0, within(1e-12));
        assertThat(s.r2()[1]).isCloseTo(0.0, within(1e-12));
        assertThat(s.mse()[0]).isZero();
        assertThat(s.mse()[1]).isCloseTo((225 + 25 + 25 + 225) / 4.0, within(1e-9));
        assertThat(s.meanR2()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldScoreOnlyTheGivenFrames() {
        double[] y = {5, 0, 1, 2};
        float[] p = {-100, 0, 1, 2};
        assertThat(RegressionScore.of(p, y, 1, 1, 4).r2()[0]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void shouldRefuseFewerThanTwoFrames() {
        assertThatThrownBy(() -> RegressionScore.of(new float[2], new double[2], 1, 1, 2))
                .hasMessageContaining(">= 2 frames");
    }
}
