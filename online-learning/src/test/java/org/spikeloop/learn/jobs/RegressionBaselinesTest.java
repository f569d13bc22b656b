package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionBaselinesTest {
    @Test
    void shouldFitKalmanAndWienerOnTheTrainingPartAndScoreTheHeldOutPart() {
        LabelledSequence s = Tasks.sequence(20_000, 4);
        List<RegressionBaselines.Result> r = RegressionBaselines.fit(s, 12_000, 15_000, 1.0);
        assertThat(r)
                .extracting(RegressionBaselines.Result::name)
                .containsExactly("kalman", "wiener");
        for (RegressionBaselines.Result b : r) {
            assertThat(b.heldOut().r2()).hasSize(2);
            assertThat(b.heldOut().meanR2()).as(b.name()).isGreaterThan(0.5);
            assertThat(b.predictions()).hasSize(5_000 * 2);
            assertThat(b.settings()).contains("bin ").contains("training from ");
        }
    }

    @Test
    void shouldNotLookAtTheHeldOutTargets() {
        LabelledSequence s = Tasks.sequence(20_000, 4);
        double[] y = s.y().clone();
        for (int i = 15_000 * 2; i < y.length; i++) {
            y[i] = -y[i] * 3 + 1; // other held-out labels: the fitted decoders must not change
        }
        LabelledSequence other = new LabelledSequence(s.x(), y, s.stampsS(), Tasks.CHANNELS, 2);
        List<RegressionBaselines.Result> a = RegressionBaselines.fit(s, 12_000, 15_000, 1.0);
        List<RegressionBaselines.Result> b = RegressionBaselines.fit(other, 12_000, 15_000, 1.0);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).predictions()).containsExactly(a.get(i).predictions());
            assertThat(b.get(i).settings()).isEqualTo(a.get(i).settings());
        }
    }

    @Test
    void shouldBeCausal() {
        LabelledSequence s = Tasks.sequence(20_000, 4);
        double[] x = s.x().clone();
        for (int i = 18_000 * Tasks.CHANNELS; i < x.length; i++) {
            x[i] = 1 - x[i]; // change the inputs from frame 18 000 on
        }
        LabelledSequence later = new LabelledSequence(x, s.y(), s.stampsS(), Tasks.CHANNELS, 2);
        float[] a = RegressionBaselines.fit(s, 12_000, 15_000, 1.0).get(1).predictions();
        float[] b = RegressionBaselines.fit(later, 12_000, 15_000, 1.0).get(1).predictions();
        for (int f = 0; f < 3_000; f++) { // held-out frames before 18 000 are unchanged
            assertThat(b[f * 2]).isEqualTo(a[f * 2]);
        }
    }

    @Test
    void shouldRescoreTheFittedDecodersOnChangedHeldOutData() {
        LabelledSequence s = Tasks.sequence(20_000, 4);
        List<RegressionBaselines.Result> r = RegressionBaselines.fit(s, 12_000, 15_000, 1.0);
        List<RegressionBaselines.Fitted> f =
                RegressionBaselines.fitDecoders(s, 12_000, 15_000, 1.0);
        assertThat(f)
                .extracting(RegressionBaselines.Fitted::name)
                .containsExactly("kalman", "wiener");
        for (int i = 0; i < f.size(); i++) { // the same decoders as fit's: the same scores
            assertThat(f.get(i).score(s, 15_000).r2()).containsExactly(r.get(i).heldOut().r2());
        }
        double[] x = s.x().clone();
        java.util.Arrays.fill(
                x, 15_000 * Tasks.CHANNELS, x.length, 0.0); // silence the held-out part
        LabelledSequence silent = new LabelledSequence(x, s.y(), s.stampsS(), Tasks.CHANNELS, 2);
        for (RegressionBaselines.Fitted d : f) {
            assertThat(d.score(silent, 15_000).meanR2())
                    .as(d.name())
                    .isLessThan(d.score(s, 15_000).meanR2() - 0.3);
        }
    }
}
