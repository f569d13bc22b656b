package org.spikeloop.learn.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.InvalidDataException;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * The spike-count cross-entropy's per-sample mask against its fixed window, whose gradient is
 * checked against JAX (clients/python/tests/test_bptt_gradients.py): a batch whose samples each
 * mask their own window must give the mean of the losses and gradients of each sample alone with
 * that window as {@code loss.window}.
 */
class SpikeCountCrossEntropyTest {
    private static final NetworkSpec SPEC =
            SpecJson.parse(
                    "{\"inputs\": 4, \"layers\": [{\"size\": 9}],"
                            + " \"readout\": {\"type\": \"spike_count\", \"size\": 3}}");
    private static final int B = 3;
    private static final int T = 40;
    private static final int[] FROM = {10, 15, 20};
    private static final int[] TO = {30, 33, 36};

    private static Batch batch(double[] mask) {
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = new double[B * T * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.4 ? 1 : 0;
        }
        Map<String, Tensor> m = new HashMap<>();
        m.put("label", new Tensor(new int[] {B}, new double[] {2, 0, 1}));
        if (mask != null) {
            m.put("mask", new Tensor(new int[] {B, T}, mask));
        }
        return new Batch(x, B, T, 4, m);
    }

    private static double[] windows() {
        double[] mask = new double[B * T];
        for (int b = 0; b < B; b++) {
            for (int t = FROM[b]; t < TO[b]; t++) {
                mask[b * T + t] = 1;
            }
        }
        return mask;
    }

    private static GradientResult run(NetworkParams p, Batch b, int from, int to) {
        try (BpttEngine e =
                new BpttEngine(new BpttNetwork(SPEC), new BpttOptions(false, false, 1))) {
            return e.compute(p, b, List.of(new SpikeCountCrossEntropy(1, 3, from, to)));
        }
    }

    @Test
    void shouldCountEachSamplesOwnMaskedWindowAsIfItWereTheLossWindow() {
        NetworkParams p = Initializer.initialise(SPEC, new InitSpec(7, 3.0, 1.0, 3.0));
        Batch masked = batch(windows());
        GradientResult all = run(p, masked, 0, -1);
        double loss = 0;
        Map<String, double[]> mean = new HashMap<>();
        Batch plain = batch(null);
        for (int b = 0; b < B; b++) {
            GradientResult one = run(p, plain.select(new int[] {b}), FROM[b], TO[b]);
            loss += one.loss() / B;
            for (String name : one.gradients().asMap().keySet()) {
                double[] g = one.gradients().get(name).data();
                double[] sum = mean.computeIfAbsent(name, k -> new double[g.length]);
                for (int i = 0; i < g.length; i++) {
                    sum[i] += g[i] / B;
                }
            }
        }
        assertThat(all.loss()).isGreaterThan(0).isCloseTo(loss, within(loss));
        double norm = 0;
        for (String name : mean.keySet()) {
            double[] g = all.gradients().get(name).data();
            double[] expected = mean.get(name);
            for (int i = 0; i < g.length; i++) {
                assertThat(g[i])
                        .as(name + "[" + i + "]")
                        .isCloseTo(expected[i], within(expected[i]));
                norm += Math.abs(g[i]);
            }
        }
        assertThat(norm).as("the gradient is non-zero").isGreaterThan(1e-3);
    }

    @Test
    void shouldRefuseAMaskThatIsNotZeroOrOneOrSelectsNoStepOfTheWindow() {
        SpikeCountCrossEntropy loss = new SpikeCountCrossEntropy(1, 3, 0, 20);
        double[] half = windows();
        half[T + 16] = 0.5;
        assertThatThrownBy(() -> loss.check(batch(half), T))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("[1, 16] = 0.5 is neither 0 nor 1");
        // sample 2's window [20, 36) lies outside the loss window [0, 20)
        assertThatThrownBy(() -> loss.check(batch(windows()), T))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("[2] selects no step of loss.window [0, 20)");
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(1e-12 + 1e-9 * Math.abs(v));
    }
}
