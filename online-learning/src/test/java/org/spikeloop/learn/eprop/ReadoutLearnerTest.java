package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spikeloop.learn.eprop.EpropFixtures.*;
import static org.spikeloop.snn.params.ParameterNames.*;

import org.junit.jupiter.api.Test;
import org.spikeloop.learn.optim.AdamKernel;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class ReadoutLearnerTest {
    private static final int INPUTS = 6;
    private static final int H = 8;
    private static final int O = 2;

    private final NetworkSpec spec = spec(INPUTS, H, O, false, NeuronSpec.lif());
    private final FloatNetwork net = new FloatNetwork(spec, params(spec, 11, 3.0, 1.0));
    private final float kappa = (float) spec.readout().kappa(spec.dtMs());
    private final float[] wT = net.liveParameter(READOUT_WEIGHT);
    private final float[] b = net.liveParameter(READOUT_BIAS);
    private final double[][] x = poisson(200, INPUTS, 0.3, 12);
    private final float[] y = new float[O];
    private int t;

    private ReadoutLearner learner(EpropConfig config, float[] feedback) {
        return new ReadoutLearner(wT, b, feedback, H, kappa, 1f - kappa, 1f, config);
    }

    /** Steps the network n times, filtering the readout's traces after each step. */
    private void run(ReadoutLearner r, int n) {
        for (int k = 0; k < n; k++, t++) {
            float[] xf = new float[INPUTS];
            for (int i = 0; i < INPUTS; i++) {
                xf[i] = (float) x[t][i];
            }
            net.step(xf, y);
            r.filterTraces(net.layer(0));
        }
    }

    @Test
    void shouldFilterTheSpikesWithTheReadoutsKappa() {
        ReadoutLearner r = learner(EpropConfig.builder().build(), null);
        float[] zBar = new float[H];
        float c = 1f - kappa;
        int spikes = 0;
        for (int k = 0; k < 50; k++) {
            run(r, 1);
            for (int j = 0; j < H; j++) {
                zBar[j] = kappa * zBar[j] + c * net.layer(0).z(j);
                spikes += (int) net.layer(0).z(j);
                assertThat(r.filteredSpikes(j)).isEqualTo(zBar[j]);
            }
        }
        assertThat(spikes).isGreaterThan(10);
    }

    /** Symmetric feedback (eq. (28)): L_j = Σ_k W_out,kj·(y_k − y*_k); g_kj += err_k·z̄_j. */
    @Test
    void shouldBroadcastTheErrorThroughTheTransposedReadout() {
        ReadoutLearner r = learner(EpropConfig.builder().build(), null);
        run(r, 30);
        float[] target = {0.5f, -0.25f};
        float[] signal = new float[H];
        assertThat(r.learningSignal(y, target, signal)).isTrue();
        float[] err = {y[0] - target[0], y[1] - target[1]};
        for (int j = 0; j < H; j++) {
            float l = wT[j * O] * err[0] + wT[j * O + 1] * err[1];
            assertThat(signal[j]).isCloseTo(l, org.assertj.core.data.Offset.offset(1e-6f));
        }
        double[] gw = r.weightGradient();
        for (int k = 0; k < O; k++) {
            for (int j = 0; j < H; j++) {
                assertThat(gw[k * H + j]).isEqualTo((double) (err[k] * r.filteredSpikes(j)));
            }
        }
        double biasBar = 0.0;
        for (int k = 0; k < 30; k++) {
            biasBar = kappa * biasBar + (1f - kappa);
        }
        assertThat(r.biasGradient()[0])
                .isCloseTo(err[0] * biasBar, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.loss())
                .isCloseTo(
                        0.5 * (err[0] * err[0] + err[1] * err[1]),
                        org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.learnSteps()).isEqualTo(1);
    }

    /** Random feedback (eq. (29)): L_j = Σ_k B_kj·err_k with the fixed B, not W_out. */
    @Test
    void shouldBroadcastTheErrorThroughTheFixedRandomMatrix() {
        float[] feedback = new float[O * H];
        for (int k = 0; k < feedback.length; k++) {
            feedback[k] = (k % 3) - 1f;
        }
        ReadoutLearner r = learner(EpropConfig.builder().build(), feedback);
        run(r, 10);
        float[] target = {1f, 1f};
        float[] signal = new float[H];
        assertThat(r.learningSignal(y, target, signal)).isTrue();
        for (int j = 0; j < H; j++) {
            float l = feedback[j] * (y[0] - 1f) + feedback[H + j] * (y[1] - 1f);
            assertThat(signal[j]).isCloseTo(l, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void shouldNotLearnFromANonFiniteError() {
        ReadoutLearner r = learner(EpropConfig.builder().build(), null);
        run(r, 10);
        float[] signal = {7f, 7f, 7f, 7f, 7f, 7f, 7f, 7f};
        assertThat(r.learningSignal(new float[] {Float.NaN, 0f}, new float[] {0f, 0f}, signal))
                .isFalse();
        assertThat(r.nonFiniteEvents()).isEqualTo(1);
        assertThat(signal).containsOnly(7f);
        assertThat(r.weightGradient()).containsOnly(0.0);
        assertThat(r.learnSteps()).isZero();
    }

    @Test
    void shouldStepBySgdAndZeroTheGradients() {
        EpropConfig cfg =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .lrReadout(0.01)
                        .lrReadoutBias(0.02)
                        .build();
        ReadoutLearner r = learner(cfg, null);
        float[] signal = new float[H];
        for (int k = 0; k < 20; k++) {
            run(r, 1);
            r.learningSignal(y, new float[] {0.3f, -0.3f}, signal);
        }
        double[] gw = r.weightGradient();
        double[] gb = r.biasGradient();
        float[] w0 = wT.clone();
        float[] b0 = b.clone();
        r.update(0.5, 0.0, 0.0);
        for (int j = 0; j < H; j++) {
            for (int k = 0; k < O; k++) {
                float expected = w0[j * O + k] + -(float) (0.5 * 0.01) * (float) gw[k * H + j];
                assertThat(wT[j * O + k]).isEqualTo(expected);
            }
        }
        assertThat(b[1]).isEqualTo(b0[1] + -(float) (0.5 * 0.02) * (float) gb[1]);
        assertThat(b[1]).isNotEqualTo(b0[1]);
        assertThat(r.weightGradient()).containsOnly(0.0);
        assertThat(r.biasGradient()).containsOnly(0.0);
    }

    @Test
    void shouldTakeTheAdamKernelsStep() {
        EpropConfig cfg = EpropConfig.builder().lrReadout(0.01).lrReadoutBias(0.02).build();
        ReadoutLearner r = learner(cfg, null);
        float[] signal = new float[H];
        for (int k = 0; k < 20; k++) {
            run(r, 1);
            r.learningSignal(y, new float[] {0.3f, -0.3f}, signal);
        }
        double[] gw = r.weightGradient();
        float[] g = new float[H * O];
        for (int j = 0; j < H; j++) {
            for (int k = 0; k < O; k++) {
                g[j * O + k] = (float) gw[k * H + j];
            }
        }
        float[] expected = wT.clone();
        double c1 = AdamKernel.biasCorrection(cfg.adamBeta1(), 1);
        double c2 = AdamKernel.biasCorrection(cfg.adamBeta2(), 1);
        AdamKernel.update(
                expected,
                0,
                g,
                new float[H * O],
                new float[H * O],
                0,
                H * O,
                (float) 0.01,
                (float) cfg.adamBeta1(),
                (float) cfg.adamBeta2(),
                (float) cfg.adamEpsilon(),
                (float) c1,
                (float) c2,
                Float.MAX_VALUE);
        r.update(1.0, c1, c2);
        assertThat(wT).containsExactly(expected);
    }

    /** err = 6e38 overflows float: the readout's update is skipped and counted. */
    @Test
    void shouldSkipAndCountAnUpdateWithANonFiniteGradient() {
        ReadoutLearner r = learner(EpropConfig.builder().build(), null);
        run(r, 30);
        float[] signal = new float[H];
        assertThat(r.learningSignal(new float[] {3e38f, 0f}, new float[] {-3e38f, 0f}, signal))
                .isTrue();
        float[] w0 = wT.clone();
        float[] b0 = b.clone();
        r.update(1.0, 0.1, 0.001);
        assertThat(r.nonFiniteEvents()).isEqualTo(1);
        assertThat(wT).containsExactly(w0);
        assertThat(b).containsExactly(b0);
        assertThat(r.weightGradient()).containsOnly(0.0);
    }

    @Test
    void shouldScaleTheReadoutWeightsBackToMaxWeightNorm() {
        EpropConfig cfg =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .lrReadout(1e-3)
                        .maxWeightNorm(0.1)
                        .build();
        ReadoutLearner r = learner(cfg, null);
        run(r, 5);
        r.learningSignal(y, new float[] {0f, 0f}, new float[H]);
        r.update(1.0, 0.0, 0.0);
        double norm = 0.0;
        for (float w : wT) {
            norm += w * w;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
    }
}
