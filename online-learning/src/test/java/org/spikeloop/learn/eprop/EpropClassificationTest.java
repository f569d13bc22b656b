package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spikeloop.learn.eprop.EpropFixtures.*;
import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * e-prop for classification in trial windows (Bellec et al. 2020, Methods, eqs. (26)–(27) with the
 * softmax cross-entropy): steps outside a window carry no label and learn nothing, steps inside
 * carry the window's one-hot class π* and learn with the output error π_t − π* (π_t =
 * softmax(y_t)), and the float learner agrees with the float64 reference on such a schedule.
 */
class EpropClassificationTest {
    private static final int INPUTS = 10;
    private static final int H = 16;
    private static final int O = 3;
    private static final List<String> NAMES =
            List.of(inputWeights(0), recurrentWeights(0), bias(0), READOUT_WEIGHT, READOUT_BIAS);

    private final NetworkSpec spec = spec(INPUTS, H, O, true, NeuronSpec.lif());
    private final NetworkParams params = params(spec, 31, 2.0, 1.0);
    private final double[][] x = poisson(160, INPUTS, 0.2, 32);
    private final EpropConfig config =
            EpropConfig.builder()
                    .loss(ReadoutLoss.SOFTMAX_CROSS_ENTROPY)
                    .updateIntervalSteps(100_000)
                    .build();

    /** Two windows: class 2 on steps [30, 70), class 0 on [100, 140); no label elsewhere. */
    private static double[] label(int t) {
        if (t >= 30 && t < 70) {
            return new double[] {0, 0, 1};
        }
        if (t >= 100 && t < 140) {
            return new double[] {1, 0, 0};
        }
        return null;
    }

    @Test
    void shouldLearnOnlyInsideTheWindowsWithTheErrorPiMinusTheTarget() {
        FloatNetwork net = new FloatNetwork(spec, params);
        FloatEpropLearner learner = new FloatEpropLearner(net, config);
        float kappa = (float) spec.readout().kappa(spec.dtMs());
        float[] y = new float[O];
        double biasBar = 0;
        double[] expected = new double[O];
        double loss = 0;
        for (int t = 0; t < 160; t++) {
            float[] xf = f(x[t]);
            net.step(xf, y);
            double[] target = label(t);
            learner.step(xf, y, target == null ? null : f(target));
            biasBar = kappa * biasBar + (1 - kappa);
            if (target != null) {
                double max = Math.max(y[0], Math.max(y[1], y[2]));
                double z = 0;
                for (int k = 0; k < O; k++) {
                    z += Math.exp(y[k] - max);
                }
                for (int k = 0; k < O; k++) {
                    double pi = Math.exp(y[k] - max) / z;
                    expected[k] += (pi - target[k]) * biasBar;
                    if (target[k] == 1) {
                        loss -= Math.log(pi);
                    }
                }
            }
            if (t == 29) { // nothing labelled yet: nothing learned, though traces ran
                for (String name : NAMES) {
                    assertThat(learner.gradient(name)).as(name).containsOnly(0.0);
                }
            }
        }
        assertThat(learner.learnSteps()).isEqualTo(80);
        double[] got = learner.gradient(READOUT_BIAS);
        for (int k = 0; k < O; k++) {
            assertThat(got[k]).isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(Math.abs(expected[0]) + Math.abs(expected[2])).isGreaterThan(1e-2);
        assertThat(learner.loss())
                .isCloseTo(loss, org.assertj.core.data.Percentage.withPercentage(1e-3));
    }

    /** The second window's gradient, after both applied the first window's update. */
    @Test
    void shouldMatchTheFloat64ReferenceOnTrialWindows() {
        EpropReference ref = new EpropReference(spec, params, config);
        FloatNetwork net = new FloatNetwork(spec, params);
        FloatEpropLearner learner = new FloatEpropLearner(net, config);
        float[] y = new float[O];
        for (int t = 0; t < 160; t++) {
            double[] target = label(t);
            ref.step(x[t], target);
            float[] xf = f(x[t]);
            net.step(xf, y);
            learner.step(xf, y, target == null ? null : f(target));
            if (t == 69) { // the first window's end closes its trial: both apply the update
                ref.applyUpdate();
                learner.endTrial();
                learner.flush();
            }
        }
        Map<String, double[]> expected = ref.gradients();
        Map<String, double[]> actual = new LinkedHashMap<>();
        for (String name : NAMES) {
            actual.put(name, learner.gradient(name));
            double max = 0;
            for (double v : expected.get(name)) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat(max).as(name + " non-zero").isGreaterThan(0);
        }
        for (String name : NAMES) {
            assertThat(relativeError(actual, expected, name)).as(name).isLessThan(2e-4);
        }
        assertThat(learner.updatesApplied()).isEqualTo(1);
    }

    @Test
    void shouldShiftTheLiveReadoutBiasByTheCalibratedOffsets() {
        FloatNetwork net = new FloatNetwork(spec, params);
        FloatEpropLearner learner = new FloatEpropLearner(net, config);
        float[] bias = net.liveParameter(READOUT_BIAS);
        float[] before = bias.clone();
        learner.shiftReadoutBias(new double[] {0.5, -0.25, -0.25});
        assertThat(bias[0]).isEqualTo(before[0] + 0.5f);
        assertThat(bias[1]).isEqualTo(before[1] - 0.25f);
        assertThatThrownBy(() -> learner.shiftReadoutBias(new double[] {1, 1}))
                .hasMessage("bias shift has 2 values, the readout has 3");
        assertThatThrownBy(() -> learner.shiftReadoutBias(new double[] {1, Double.NaN, 0}))
                .hasMessage("bias shift of output 1 must be finite, got NaN");
        assertThat(bias[0]).isEqualTo(before[0] + 0.5f); // a refused shift changes nothing
    }

    private static float[] f(double[] d) {
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }
}
