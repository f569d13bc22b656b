package org.spikeloop.learn.bptt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.InvalidDataException;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.learn.loss.ReadoutMse;
import org.spikeloop.learn.loss.SpikeCountCrossEntropy;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

class BpttEngineTest {
    private static final NetworkSpec SPEC =
            SpecJson.parse(
                    "{\"inputs\": 5, \"layers\": [{\"size\": 12, \"neuron\": {\"model\": \"alif\","
                            + " \"adaptBeta\": 0.3, \"surrogate\": {\"name\": \"fast_sigmoid\","
                            + " \"scale\": 3, \"gain\": 1}}}], \"readout\": {\"size\": 2}}");

    private static Batch batch(int b, int t, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[b * t * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1 : 0;
        }
        double[] y = new double[b * t * 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextDouble() - 0.5;
        }
        Map<String, Tensor> m = new HashMap<>();
        m.put("y", new Tensor(new int[] {b, t, 2}, y));
        return new Batch(x, b, t, 5, m);
    }

    private static NetworkParams params() {
        return Initializer.initialise(SPEC, new InitSpec(3, 3.0, 1.0, 1.0));
    }

    private static GradientResult run(BpttOptions o, NetworkParams p, Batch b) {
        try (BpttEngine e = new BpttEngine(new BpttNetwork(SPEC), o)) {
            return e.compute(p, b, List.<ObjectiveTerm>of(new ReadoutMse(2)));
        }
    }

    @Test
    void shouldGiveBitIdenticalGradientsForAFixedThreadCount() {
        Batch b = batch(6, 50, 1);
        GradientResult r1 = run(new BpttOptions(false, false, 2), params(), b);
        GradientResult r2 = run(new BpttOptions(false, false, 2), params(), b);
        for (String n : r1.gradients().asMap().keySet()) {
            assertThat(r2.gradients().get(n).data()).containsExactly(r1.gradients().get(n).data());
        }
        assertThat(r1.gradients().globalNorm()).isGreaterThan(0);
    }

    @Test
    void shouldAgreeAcrossThreadCountsToRoundingError() {
        Batch b = batch(6, 50, 2);
        GradientResult r1 = run(new BpttOptions(false, false, 1), params(), b);
        GradientResult r3 = run(new BpttOptions(false, false, 3), params(), b);
        assertThat(r3.loss()).isCloseTo(r1.loss(), org.assertj.core.data.Offset.offset(1e-12));
        for (String n : r1.gradients().asMap().keySet()) {
            double[] a = r1.gradients().get(n).data();
            double[] c = r3.gradients().get(n).data();
            for (int i = 0; i < a.length; i++) {
                assertThat(c[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-10));
            }
        }
    }

    @Test
    void shouldMatchDetachedResetWhenRecurrentWeightsAreZeroAndDifferOtherwise() {
        Batch b = batch(2, 60, 3);
        NetworkParams p = params();
        GradientResult full = run(new BpttOptions(false, false, 1), p, b);
        GradientResult stop = run(new BpttOptions(false, true, 1), p, b);
        assertThat(stop.gradients().get("layer0.w_rec").data())
                .isNotEqualTo(full.gradients().get("layer0.w_rec").data());
        java.util.Arrays.fill(p.get("layer0.w_rec").data(), 0.0);
        GradientResult detached = run(new BpttOptions(true, false, 1), p, b);
        GradientResult stopped = run(new BpttOptions(false, true, 1), p, b);
        for (String n : detached.gradients().asMap().keySet()) {
            assertThat(stopped.gradients().get(n).data())
                    .containsExactly(detached.gradients().get(n).data());
        }
    }

    @Test
    void shouldReportTrajectoryBytes() {
        GradientResult r = run(new BpttOptions(false, false, 2), params(), batch(4, 30, 4));
        // per sample-step: 12 neurons × (8 v + 8 ψ + 1 z) + 2 outputs × 8 (y)
        assertThat(r.trajectoryBytes()).isEqualTo(4L * 30 * (12 * 17 + 2 * 8));
    }

    @Test
    void shouldRejectInputsWithWrongChannelCountNamingX() {
        Batch b = new Batch(new double[2 * 10 * 3], 2, 10, 3, Map.of());
        assertThatThrownBy(() -> run(new BpttOptions(false, false, 1), params(), b))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("x has 3 channels but the network has 5 inputs");
    }

    @Test
    void shouldRejectTargetsWithWrongShapeNamingThem() {
        Batch b = batch(2, 10, 5);
        Map<String, Tensor> m = new HashMap<>();
        m.put("y", new Tensor(new int[] {2, 9, 2}, new double[36]));
        Batch bad = new Batch(b.x(), 2, 10, 5, m);
        assertThatThrownBy(() -> run(new BpttOptions(false, false, 1), params(), bad))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("y has shape [2, 9, 2], expected [2, 10, 2]");
    }

    @Test
    void shouldRejectClassLabelsOutOfRange() {
        NetworkSpec spec =
                SpecJson.parse(
                        "{\"inputs\": 5, \"layers\": [{\"size\": 4}],"
                                + " \"readout\": {\"type\": \"spike_count\", \"size\": 3}}");
        Map<String, Tensor> m = new HashMap<>();
        m.put("label", new Tensor(new int[] {1}, new double[] {3}));
        Batch b = new Batch(new double[10 * 5], 1, 10, 5, m);
        try (BpttEngine e =
                new BpttEngine(new BpttNetwork(spec), new BpttOptions(false, false, 1))) {
            assertThatThrownBy(
                            () ->
                                    e.compute(
                                            Initializer.initialise(spec, InitSpec.seeded(1)),
                                            b,
                                            List.of(new SpikeCountCrossEntropy(1, 3, 0, -1))))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageStartingWith("label [0] = 3.0 is not an integer in [0, 3)");
        }
    }

    /**
     * The input current is I_t = W_in·x_t, so Σ_{b,t,i} x·∂L/∂x = Σ_{t,j} ∂L/∂I_t[j]·(W_in·x_t)[j]
     * = Σ_{j,i} W_in·∂L/∂W_in: the input gradient must agree with the weight gradient (itself
     * checked against jax.grad) through this identity, whatever the thread count.
     */
    @Test
    void shouldGiveAnInputGradientConsistentWithTheInputWeightGradient() {
        Batch b = batch(4, 60, 6);
        NetworkParams p = params();
        for (int threads : new int[] {1, 3}) {
            double[] gx = new double[b.x().length];
            GradientResult r;
            try (BpttEngine e =
                    new BpttEngine(new BpttNetwork(SPEC), new BpttOptions(false, false, threads))) {
                r = e.compute(p, b, List.<ObjectiveTerm>of(new ReadoutMse(2)), gx);
            }
            double left = 0;
            double norm = 0;
            for (int i = 0; i < gx.length; i++) {
                left += b.x()[i] * gx[i];
                norm += Math.abs(gx[i]);
            }
            double[] w = p.get("layer0.w_in").data();
            double[] gw = r.gradients().get("layer0.w_in").data();
            double right = 0;
            for (int i = 0; i < w.length; i++) {
                right += w[i] * gw[i];
            }
            assertThat(norm).isGreaterThan(0);
            assertThat(left).isCloseTo(right, org.assertj.core.data.Offset.offset(1e-9 * norm));
        }
    }

    @Test
    void shouldRefuseAnInputGradientOfTheWrongLength() {
        Batch b = batch(2, 10, 7);
        try (BpttEngine e =
                new BpttEngine(new BpttNetwork(SPEC), new BpttOptions(false, false, 1))) {
            assertThatThrownBy(
                            () ->
                                    e.compute(
                                            params(),
                                            b,
                                            List.<ObjectiveTerm>of(new ReadoutMse(2)),
                                            new double[3]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("100 entries, got 3");
        }
    }
}
