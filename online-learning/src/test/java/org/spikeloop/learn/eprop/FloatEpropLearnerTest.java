package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spikeloop.learn.eprop.EpropFixtures.*;
import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ResetMode;

class FloatEpropLearnerTest {
    private static final List<String> NAMES =
            List.of(inputWeights(0), recurrentWeights(0), bias(0), READOUT_WEIGHT, READOUT_BIAS);

    private static NeuronSpec neuron(String model) {
        NeuronSpec n = model.equals("ALIF") ? NeuronSpec.alif() : NeuronSpec.lif();
        return n.withAdaptation(60.0, 0.4).withRefractorySteps(2);
    }

    /** {@code d} rounded through float32, as the float network stores it. */
    private static double[] f64(double[] d) {
        double[] r = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    private static float[] f(double[] d) {
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    @ParameterizedTest
    @CsvSource({
        "LIF, 1, 0",
        "LIF, 5, 0",
        "LIF, 16, 0",
        "ALIF, 1, 0",
        "ALIF, 7, 0",
        "ALIF, 16, 0",
        "LIF, 16, 0.02",
        "ALIF, 16, 0.02"
    })
    void shouldMatchTheFloat64ReferenceGradient(String model, int window, double lambda) {
        NetworkSpec spec = spec(12, 20, 2, true, neuron(model));
        NetworkParams p = params(spec, 51, 2.0, 1.0);
        int steps = 70;
        double[][] x = poisson(steps, 12, 0.2, 52);
        double[][] y = sines(steps, 2, 53);
        EpropConfig cfg =
                EpropConfig.builder()
                        .windowSteps(window)
                        .rateRegularization(lambda, 10.0, 200.0)
                        .build();
        EpropReference ref = new EpropReference(spec, p, cfg);
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner = new FloatEpropLearner(net, cfg);
        float[] out = new float[2];
        int spikes = 0;
        for (int t = 0; t < steps; t++) {
            double[] label = t < 10 ? null : y[t]; // the first steps carry no label
            ref.step(x[t], label);
            float[] xf = f(x[t]);
            net.step(xf, out);
            learner.step(xf, out, label == null ? null : f(label));
            for (int j = 0; j < 20; j++) {
                assertThat((double) net.layer(0).z(j)).isEqualTo(ref.spikes()[j]);
                spikes += (int) ref.spikes()[j];
            }
        }
        assertThat(spikes).isGreaterThan(20);
        Map<String, double[]> expected = ref.gradients();
        Map<String, double[]> actual = new LinkedHashMap<>();
        for (String name : NAMES) {
            actual.put(name, learner.gradient(name));
        }
        for (String name : NAMES) {
            assertThat(relativeError(actual, expected, name)).as(name).isLessThan(2e-4);
        }
        assertThat(learner.loss())
                .isCloseTo(ref.loss(), org.assertj.core.data.Percentage.withPercentage(1e-3));
    }

    /**
     * Updates that fall due mid-window (trial ends at uneven steps, some windows 1–3 steps long)
     * queue their window behind the one still merging instead of merging it in one step; runs of
     * short windows fill the ring and force a drain. Either way the gradient accumulated since the
     * last update must still be the reference's. Learning rates are 0 so both sides keep the same
     * weights (and spikes) while updates zero the gradients at the same steps.
     */
    @ParameterizedTest
    @CsvSource({"LIF, 7", "ALIF, 7", "LIF, 16", "ALIF, 4"})
    void shouldKeepTheGradientExactAcrossQueuedShortWindows(String model, int window) {
        NetworkSpec spec = spec(12, 20, 2, true, neuron(model));
        NetworkParams p = params(spec, 91, 2.0, 1.0);
        int steps = 160;
        double[][] x = poisson(steps, 12, 0.2, 92);
        double[][] y = sines(steps, 2, 93);
        EpropConfig cfg =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .learningRate(0.0)
                        .windowSteps(window)
                        .build();
        EpropReference ref = new EpropReference(spec, p, cfg);
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner = new FloatEpropLearner(net, cfg);
        java.util.Set<Integer> trialEnds = java.util.Set.of(10, 13, 14, 15, 16, 40, 41, 90, 101);
        float[] out = new float[2];
        int spikes = 0;
        for (int t = 0; t < steps; t++) {
            ref.step(x[t], y[t]);
            float[] xf = f(x[t]);
            net.step(xf, out);
            learner.step(xf, out, f(y[t]));
            for (int j = 0; j < 20; j++) {
                assertThat((double) net.layer(0).z(j)).isEqualTo(ref.spikes()[j]);
                spikes += (int) ref.spikes()[j];
            }
            if (trialEnds.contains(t)) {
                ref.applyUpdate();
                learner.endTrial();
            }
        }
        assertThat(spikes).isGreaterThan(20);
        assertThat(learner.updatesApplied()).isEqualTo(trialEnds.size());
        assertThat(learner.forcedDrains()).as("ring full after 1-step windows").isPositive();
        Map<String, double[]> expected = ref.gradients();
        Map<String, double[]> actual = new LinkedHashMap<>();
        for (String name : NAMES) {
            actual.put(name, learner.gradient(name));
        }
        for (String name : NAMES) {
            assertThat(relativeError(actual, expected, name)).as(name).isLessThan(2e-4);
        }
    }

    /**
     * resetTraces (after an input gap) mid-window: the window that starts there must start from
     * zero traces (ε_i(t0) = 0, ψ_{t0} = 0), as the reference's resetTraces.
     */
    @ParameterizedTest
    @CsvSource({"LIF, 7", "ALIF, 7", "LIF, 16"})
    void shouldStartFromZeroTracesAfterResetTraces(String model, int window) {
        NetworkSpec spec = spec(12, 20, 2, true, neuron(model));
        NetworkParams p = params(spec, 121, 2.0, 1.0);
        int steps = 90;
        double[][] x = poisson(steps, 12, 0.2, 122);
        double[][] y = sines(steps, 2, 123);
        EpropConfig cfg = EpropConfig.builder().windowSteps(window).build();
        EpropReference ref = new EpropReference(spec, p, cfg);
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner = new FloatEpropLearner(net, cfg);
        float[] out = new float[2];
        for (int t = 0; t < steps; t++) {
            if (t == 40) {
                ref.resetTraces();
                learner.resetTraces();
            }
            ref.step(x[t], y[t]);
            float[] xf = f(x[t]);
            net.step(xf, out);
            learner.step(xf, out, f(y[t]));
        }
        Map<String, double[]> expected = ref.gradients();
        Map<String, double[]> actual = new LinkedHashMap<>();
        for (String name : NAMES) {
            actual.put(name, learner.gradient(name));
        }
        for (String name : NAMES) {
            assertThat(relativeError(actual, expected, name)).as(name).isLessThan(2e-4);
        }
    }

    /**
     * The benchmark's schedule: an update every 1000 steps (not a multiple of W = 16), so each
     * update closes a short window while the previous one is still merging. That window is queued
     * and the backlog spread over the next W steps: no step ever drains the queue at once.
     */
    @Test
    void shouldNeverDrainAtOnceWhenUpdatesFallMidWindow() {
        NetworkSpec spec = spec(16, 40, 2, true, neuron("LIF"));
        FloatNetwork net = new FloatNetwork(spec, params(spec, 111, 2.0, 1.0));
        FloatEpropLearner learner =
                new FloatEpropLearner(
                        net,
                        EpropConfig.builder()
                                .optimizer(OptimizerKind.SGD)
                                .learningRate(1e-4)
                                .updateIntervalSteps(1000)
                                .windowSteps(16)
                                .build());
        double[][] x = poisson(4100, 16, 0.2, 112);
        float[] target = {0.3f, -0.2f};
        float[] out = new float[2];
        for (double[] frame : x) {
            float[] xf = f(frame);
            net.step(xf, out);
            learner.step(xf, out, target);
        }
        assertThat(learner.updatesApplied()).isEqualTo(4);
        assertThat(learner.forcedDrains()).isZero();
    }

    @Test
    void shouldApplyTheSameSgdUpdateAsTheReference() {
        NetworkSpec spec = spec(12, 20, 2, true, neuron("LIF"));
        NetworkParams p = params(spec, 61, 2.0, 1.0);
        double[][] x = poisson(40, 12, 0.2, 62);
        double[][] y = sines(40, 2, 63);
        EpropConfig cfg =
                EpropConfig.builder().optimizer(OptimizerKind.SGD).learningRate(1e-3).build();
        EpropReference ref = new EpropReference(spec, p, cfg);
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner = new FloatEpropLearner(net, cfg);
        learnOneTrialSideBySide(ref, net, learner, x, y);
        assertMatchesReferenceAndMoved(net.exportParams(), ref.params(), p);
        assertThat(learner.updatesApplied()).isEqualTo(1);
    }

    /**
     * Adam on the readout (Kingma &amp; Ba 2015, Alg. 1): three trials, three updates, so the
     * float32 learner's first and second moments and bias corrections for w_out and the readout
     * bias must track the float64 reference's. The synaptic groups have rate 0, so both networks
     * spike identically (asserted) and any difference is the readout step's. Non-vacuous: the same
     * run with a plain-SGD readout lands far outside the tolerance.
     */
    @Test
    void shouldApplyTheSameAdamReadoutUpdateAsTheReference() {
        NetworkSpec spec = spec(12, 20, 2, true, neuron("ALIF"));
        NetworkParams p = params(spec, 71, 2.0, 1.0);
        EpropConfig adam =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.ADAM)
                        .learningRate(0.0)
                        .lrReadout(1e-2)
                        .lrReadoutBias(1e-2)
                        .build();
        EpropReference ref = new EpropReference(spec, p, adam);
        EpropReference sgd =
                new EpropReference(spec, p, adam.toBuilder().optimizer(OptimizerKind.SGD).build());
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner = new FloatEpropLearner(net, adam);
        float[] out = new float[2];
        for (int trial = 0; trial < 3; trial++) {
            double[][] x = poisson(40, 12, 0.2, 72 + trial);
            double[][] y = sines(40, 2, 75 + trial);
            ref.resetState();
            sgd.resetState();
            net.reset();
            learner.resetTraces();
            for (int t = 0; t < 40; t++) {
                double[] label = t % 5 == 0 ? null : y[t];
                ref.step(x[t], label);
                sgd.step(x[t], label);
                float[] xf = f(x[t]);
                net.step(xf, out);
                learner.step(xf, out, label == null ? null : f(label));
                for (int j = 0; j < 20; j++) {
                    assertThat((double) net.layer(0).z(j)).isEqualTo(ref.spikes()[j]);
                }
            }
            assertThat(ref.applyUpdate()).isTrue();
            assertThat(sgd.applyUpdate()).isTrue();
            learner.endTrial();
            learner.flush();
        }
        NetworkParams a = net.exportParams();
        NetworkParams b = ref.params();
        NetworkParams c = sgd.params();
        for (String name : List.of(READOUT_WEIGHT, READOUT_BIAS)) {
            double[] wa = a.get(name).data();
            double[] wb = b.get(name).data();
            double[] ws = c.get(name).data();
            double[] before = p.get(name).data();
            double moved = 0.0;
            double sgdGap = 0.0;
            for (int i = 0; i < wa.length; i++) {
                assertThat(wa[i])
                        .as(name + "[" + i + "]")
                        .isCloseTo(wb[i], org.assertj.core.data.Offset.offset(1e-5));
                moved = Math.max(moved, Math.abs(wb[i] - before[i]));
                sgdGap = Math.max(sgdGap, Math.abs(ws[i] - wb[i]));
            }
            assertThat(moved).as(name + " moved").isGreaterThan(1e-2);
            assertThat(sgdGap).as(name + " SGD vs Adam").isGreaterThan(1e-3);
        }
        for (String name : List.of(inputWeights(0), recurrentWeights(0), bias(0))) {
            assertThat(a.get(name).data()).as(name).isEqualTo(f64(p.get(name).data()));
        }
        assertThat(learner.updatesApplied()).isEqualTo(3);
    }

    @Test
    void shouldScaleEveryLearningRateBySchedule() {
        NetworkSpec spec = spec(12, 20, 2, true, neuron("LIF"));
        NetworkParams p = params(spec, 81, 2.0, 1.0);
        double[][] x = poisson(40, 12, 0.2, 82);
        double[][] y = sines(40, 2, 83);
        EpropConfig full =
                EpropConfig.builder().optimizer(OptimizerKind.SGD).learningRate(2e-3).build();
        EpropReference ref =
                new EpropReference(spec, p, full.toBuilder().learningRate(5e-4).build());
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner = new FloatEpropLearner(net, full);
        learner.learningRateScale(0.25);
        learnOneTrialSideBySide(ref, net, learner, x, y);
        assertMatchesReferenceAndMoved(net.exportParams(), ref.params(), p);
        assertThat(learner.learningRateScale()).isEqualTo(0.25);
    }

    /**
     * Steps the float64 reference and the float32 network and learner through one labelled trial on
     * the same inputs, then makes both apply their update.
     */
    private static void learnOneTrialSideBySide(
            EpropReference ref,
            FloatNetwork net,
            FloatEpropLearner learner,
            double[][] x,
            double[][] y) {
        float[] out = new float[y[0].length];
        for (int t = 0; t < x.length; t++) {
            ref.step(x[t], y[t]);
            float[] xf = f(x[t]);
            net.step(xf, out);
            learner.step(xf, out, f(y[t]));
        }
        ref.applyUpdate();
        learner.endTrial();
        learner.flush();
    }

    /**
     * Every parameter of {@link #NAMES} in {@code learned} within float32 tolerance (1e-5) of the
     * reference's, and non-vacuous: the reference moved each group away from {@code before}.
     */
    private static void assertMatchesReferenceAndMoved(
            NetworkParams learned, NetworkParams reference, NetworkParams before) {
        for (String name : NAMES) {
            double[] wa = learned.get(name).data();
            double[] wb = reference.get(name).data();
            double[] w0 = before.get(name).data();
            double moved = 0.0;
            for (int i = 0; i < wa.length; i++) {
                assertThat(wa[i])
                        .as(name + "[" + i + "]")
                        .isCloseTo(wb[i], org.assertj.core.data.Offset.offset(1e-5));
                moved = Math.max(moved, Math.abs(wb[i] - w0[i]));
            }
            assertThat(moved).as(name + " moved").isGreaterThan(1e-6);
        }
    }

    @Test
    void shouldRejectALearningRateScaleOutsideTheUnitInterval() {
        NetworkSpec spec = spec(3, 4, 1, true, neuron("LIF"));
        FloatEpropLearner learner =
                new FloatEpropLearner(
                        new FloatNetwork(spec, NetworkParams.zeros(spec)),
                        EpropConfig.builder().build());
        assertThatThrownBy(() -> learner.learningRateScale(1.5)).hasMessageContaining("scale");
        assertThatThrownBy(() -> learner.learningRateScale(-0.1)).hasMessageContaining("scale");
        assertThatThrownBy(() -> learner.learningRateScale(Double.NaN))
                .hasMessageContaining("scale");
        assertThat(learner.learningRateScale()).isEqualTo(1.0);
    }

    @Test
    void shouldRejectTheZeroReset() {
        NetworkSpec spec = spec(3, 4, 1, true, NeuronSpec.lif().withReset(ResetMode.ZERO, 0.0));
        FloatNetwork net = new FloatNetwork(spec, NetworkParams.zeros(spec));
        assertThatThrownBy(() -> new FloatEpropLearner(net, EpropConfig.builder().build()))
                .hasMessageContaining("layers[0].neuron.reset");
    }

    /**
     * W = 0 (the default) picks the smallest window whose per-step share of the per-synapse
     * traffic, 16 B (LIF) or 24 B (ALIF) per synapse per window, stays within 512 KiB, in [16, 64].
     */
    @Test
    void shouldChooseTheWindowFromTheNetworkSize() {
        assertThat(FloatEpropLearner.autoWindowSteps(96 + 1 + 256, 256, false)).isEqualTo(16);
        assertThat(FloatEpropLearner.autoWindowSteps(96 + 1 + 256, 256, true)).isEqualTo(16);
        // 16·1121·1024 B = 18.4 MB = 35.03 budgets → 36 steps; ALIF 27.5 MB → 53.
        assertThat(FloatEpropLearner.autoWindowSteps(96 + 1 + 1024, 1024, false)).isEqualTo(36);
        assertThat(FloatEpropLearner.autoWindowSteps(96 + 1 + 1024, 1024, true)).isEqualTo(53);
        assertThat(FloatEpropLearner.autoWindowSteps(4096 + 97, 4096, false)).isEqualTo(64);
        NetworkSpec spec = spec(96, 1024, 2, true, neuron("LIF"));
        FloatNetwork net = new FloatNetwork(spec, NetworkParams.zeros(spec));
        assertThat(new FloatEpropLearner(net, EpropConfig.builder().build()).windowSteps())
                .isEqualTo(36);
        assertThat(
                        new FloatEpropLearner(net, EpropConfig.builder().windowSteps(7).build())
                                .windowSteps())
                .isEqualTo(7);
    }

    @Test
    void shouldRejectANegativeWindow() {
        assertThatThrownBy(() -> EpropConfig.builder().windowSteps(-1).build())
                .hasMessageContaining("windowSteps must be in [1, 256] or 0 (auto), got -1");
        assertThatThrownBy(() -> EpropConfig.builder().windowSteps(257).build())
                .hasMessageContaining("windowSteps must be in [1, 256] or 0 (auto), got 257");
    }

    @Test
    void shouldReportMemoryPerSynapse() {
        NetworkSpec spec = spec(96, 256, 2, true, neuron("LIF"));
        FloatNetwork net = new FloatNetwork(spec, NetworkParams.zeros(spec));
        FloatEpropLearner learner =
                new FloatEpropLearner(
                        net, EpropConfig.builder().optimizer(OptimizerKind.SGD).build());
        assertThat(learner.synapses()).isEqualTo((96 + 1 + 256) * 256L);
        assertThat(learner.bytesPerSynapse()).isEqualTo(12);
        assertThat(learner.stateBytes()).isGreaterThan(12L * learner.synapses());
    }

    @ParameterizedTest
    @CsvSource({"LIF, SGD, 96, 256", "ALIF, ADAM, 96, 256", "ALIF, ADAM, 7, 1000"})
    void shouldEstimateTheStateBytesOfALearnerBeforeBuildingIt(
            String model, OptimizerKind optimizer, int inputs, int hidden) {
        NetworkSpec spec = spec(inputs, hidden, 2, true, neuron(model));
        EpropConfig config = EpropConfig.builder().optimizer(optimizer).build();
        long estimate = FloatEpropLearner.stateBytes(spec, config);
        FloatEpropLearner built =
                new FloatEpropLearner(new FloatNetwork(spec, NetworkParams.zeros(spec)), config);
        assertThat(estimate).isEqualTo(built.stateBytes());
    }

    @ParameterizedTest
    @CsvSource({"LIF, SGD", "ALIF, ADAM"})
    void shouldAllocateNothingPerStep(String model, OptimizerKind optimizer) {
        NetworkSpec spec = spec(16, 32, 2, true, neuron(model));
        NetworkParams p = params(spec, 101, 2.0, 1.0);
        FloatNetwork net = new FloatNetwork(spec, p);
        FloatEpropLearner learner =
                new FloatEpropLearner(
                        net,
                        EpropConfig.builder()
                                .optimizer(optimizer)
                                .learningRate(1e-4)
                                .updateIntervalSteps(100)
                                .rateRegularization(1e-3, 10.0, 100.0)
                                .build());
        double[][] xs = poisson(500, 16, 0.2, 102);
        float[][] x = new float[xs.length][];
        for (int t = 0; t < xs.length; t++) {
            x[t] = f(xs[t]);
        }
        float[] target = {0.3f, -0.2f};
        float[] out = new float[2];
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int round = 0; round < 20; round++) { // warm up (JIT) with the same calls
            run(net, learner, x, target, out);
        }
        long before = mx.getThreadAllocatedBytes(thread);
        run(net, learner, x, target, out);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertThat(learner.updatesApplied()).isGreaterThan(0);
        assertThat(allocated).as("bytes allocated over 500 learning steps").isZero();
    }

    private static void run(
            FloatNetwork net, FloatEpropLearner learner, float[][] x, float[] target, float[] out) {
        for (int t = 0; t < x.length; t++) {
            net.step(x[t], out);
            learner.step(x[t], out, t % 7 == 0 ? null : target);
            if (t % 250 == 249) {
                learner.endTrial();
            }
        }
    }

    @Test
    void shouldRefuseASpikeCountReadoutNamingTheJobThatTrainsIt() {
        NetworkSpec spec =
                org.spikeloop.snn.spec.SpecJson.parse(
                        "{\"inputs\": 3, \"layers\": [{\"size\": 4}],"
                                + " \"readout\": {\"type\": \"spike_count\", \"size\": 2}}");
        assertThatThrownBy(() -> FloatEpropLearner.stateBytes(spec, EpropConfig.builder().build()))
                .hasMessage(
                        "readout.type: e-prop learns through a LEAKY readout, got SPIKE_COUNT (a"
                                + " spike_count readout is trained offline: a classification job"
                                + " with loss spike_count_ce)");
    }
}
