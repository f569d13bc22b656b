package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spikeloop.learn.eprop.EpropFixtures.*;
import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/** Guards and bad input around {@link FloatEpropLearner}: nothing corrupts the weights. */
class FloatEpropGuardsTest {
    private static final List<String> NAMES =
            List.of(inputWeights(0), recurrentWeights(0), bias(0), READOUT_WEIGHT, READOUT_BIAS);

    private final NetworkSpec spec = spec(8, 16, 2, true, NeuronSpec.lif());
    private final NetworkParams initial = params(spec, 91, 2.0, 1.0);

    private static float[] frame(double[] d) {
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    private static void assertSame(NetworkParams a, NetworkParams b) {
        for (String name : NAMES) {
            assertThat(a.get(name).data()).as(name).containsExactly(b.get(name).data());
        }
    }

    @Test
    void shouldRestoreTheLastGoodWeightsWhenAnUpdateIsNonFinite() {
        FloatNetwork net = new FloatNetwork(spec, initial);
        EpropConfig cfg =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .learningRate(0.05)
                        .updateIntervalSteps(50)
                        .build();
        FloatEpropLearner learner = new FloatEpropLearner(net, cfg);
        double[][] x = poisson(100, 8, 0.3, 92);
        float[] out = new float[2];
        float[] huge = {3e38f, -3e38f}; // finite, but the gradient overflows float32
        for (int t = 0; t < 50; t++) {
            float[] xf = frame(x[t]);
            net.step(xf, out);
            learner.step(xf, out, new float[] {0.1f, -0.1f});
        }
        learner.flush();
        NetworkParams good = net.exportParams();
        assertThat(learner.updatesApplied()).isEqualTo(1);
        for (int t = 50; t < 100; t++) {
            float[] xf = frame(x[t]);
            net.step(xf, out);
            learner.step(xf, out, huge);
        }
        learner.flush();
        assertThat(learner.nonFiniteEvents()).isGreaterThan(0);
        assertThat(learner.updatesApplied()).isEqualTo(1);
        assertSame(net.exportParams(), good);
    }

    @Test
    void shouldKeepWeightsUnchangedWhenEveryLabelIsRejected() {
        FloatNetwork net = new FloatNetwork(spec, initial);
        FloatEpropLearner learner =
                new FloatEpropLearner(
                        net,
                        EpropConfig.builder().learningRate(0.01).updateIntervalSteps(20).build());
        LabelGate gate = new LabelGate(2, 5, false);
        double[][] x = poisson(100, 8, 0.3, 93);
        float[] out = new float[2];
        gate.offer(0, new float[] {Float.NaN, 1f});
        for (int t = 0; t < 100; t++) {
            float[] xf = frame(x[t]);
            net.step(xf, out);
            learner.step(xf, out, gate.target(t));
            if (t == 10) {
                gate.offer(5, new float[] {1f, Float.NEGATIVE_INFINITY});
            }
        }
        learner.flush();
        assertThat(gate.rejectedNonFinite()).isEqualTo(2);
        assertThat(gate.pausedSteps()).isEqualTo(100);
        assertThat(learner.updatesApplied()).isZero();
        NetworkParams after = net.exportParams();
        for (String name : NAMES) {
            double[] a = after.get(name).data();
            double[] b = initial.get(name).data();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as(name).isEqualTo((double) (float) b[i]);
            }
        }
    }

    @Test
    void shouldBoundEachWeightChangeAndTheWeightNorm() {
        FloatNetwork net = new FloatNetwork(spec, initial);
        EpropConfig cfg =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .learningRate(0.1)
                        .maxWeightChange(1e-3)
                        .updateIntervalSteps(60)
                        .build();
        FloatEpropLearner learner = new FloatEpropLearner(net, cfg);
        NetworkParams before = net.exportParams();
        double[][] x = poisson(60, 8, 0.3, 94);
        double[][] y = sines(60, 2, 95);
        float[] out = new float[2];
        for (int t = 0; t < 60; t++) {
            float[] xf = frame(x[t]);
            net.step(xf, out);
            learner.step(xf, out, frame(y[t]));
        }
        learner.flush();
        NetworkParams after = net.exportParams();
        double maxChange = 0.0;
        for (String name : NAMES) {
            double[] a = after.get(name).data();
            double[] b = before.get(name).data();
            for (int i = 0; i < a.length; i++) {
                maxChange = Math.max(maxChange, Math.abs(a[i] - b[i]));
            }
        }
        assertThat(maxChange).isGreaterThan(0.0).isLessThanOrEqualTo(1e-3 + 1e-6);
    }

    @Test
    void shouldRejectALearningRateAboveTheGuard() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> EpropConfig.builder().maxLearningRate(0.01).lrInput(0.5).build())
                .hasMessageContaining("lrInput = 0.5 exceeds the guard maxLearningRate = 0.01");
    }
}
