package org.spikeloop.learn.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.InvalidDataException;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * The readout cross-entropy's value and its gradient with respect to the readout's weights and
 * bias, which enter the loss without passing a spike (so the exact derivative exists and central
 * differences of the loss must equal SG-BPTT's gradient); the hidden-layer gradients are checked
 * against JAX (clients/python/tests/test_bptt_gradients.py) and against e-prop
 * (EpropVersusTrainerTest).
 */
class ReadoutCrossEntropyTest {
    private static final NetworkSpec SPEC =
            SpecJson.parse(
                    "{\"inputs\": 4, \"layers\": [{\"size\": 9}],"
                            + " \"readout\": {\"size\": 3, \"tauOutMs\": 8}}");
    private static final int B = 3;
    private static final int T = 40;

    private static Batch batch(boolean withMask) {
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = new double[B * T * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1 : 0;
        }
        Map<String, Tensor> m = new HashMap<>();
        m.put("label", new Tensor(new int[] {B}, new double[] {2, 0, 1}));
        if (withMask) {
            double[] mask = new double[B * T];
            for (int b = 0; b < B; b++) {
                for (int t = 10 + 5 * b; t < 30 + 3 * b; t++) {
                    mask[b * T + t] = 1;
                }
            }
            m.put("mask", new Tensor(new int[] {B, T}, mask));
        }
        return new Batch(x, B, T, 4, m);
    }

    private static GradientResult run(NetworkParams p, Batch b, ReadoutCrossEntropy.Average a) {
        try (BpttEngine e =
                new BpttEngine(new BpttNetwork(SPEC), new BpttOptions(false, false, 1))) {
            return e.compute(p, b, List.of(new ReadoutCrossEntropy(3, a)));
        }
    }

    @ParameterizedTest
    @EnumSource(ReadoutCrossEntropy.Average.class)
    void shouldGiveTheReadoutGradientOfItsValue(ReadoutCrossEntropy.Average average) {
        for (boolean withMask : new boolean[] {false, true}) {
            Batch batch = batch(withMask);
            NetworkParams p = Initializer.initialise(SPEC, new InitSpec(7, 3.0, 1.0, 2.0));
            GradientResult r = run(p, batch, average);
            assertThat(r.loss()).isGreaterThan(0);
            for (String name :
                    List.of(ParameterNames.READOUT_WEIGHT, ParameterNames.READOUT_BIAS)) {
                double[] w = p.get(name).data();
                double[] g = r.gradients().get(name).data();
                double norm = 0;
                for (int i = 0; i < w.length; i++) {
                    double h = 1e-5;
                    double keep = w[i];
                    w[i] = keep + h;
                    double up = run(p, batch, average).loss();
                    w[i] = keep - h;
                    double down = run(p, batch, average).loss();
                    w[i] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertThat(g[i]).as(name + "[" + i + "]").isCloseTo(numeric, within(numeric));
                    norm += Math.abs(g[i]);
                }
                assertThat(norm).as(name + " non-zero").isGreaterThan(1e-3);
            }
        }
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(1e-7 + 1e-6 * Math.abs(v));
    }

    @Test
    void shouldTellTheTwoFormsApartOnTheSameWindow() {
        NetworkParams p = Initializer.initialise(SPEC, new InitSpec(7, 3.0, 1.0, 2.0));
        double window = run(p, batch(true), ReadoutCrossEntropy.Average.WINDOW).loss();
        double step = run(p, batch(true), ReadoutCrossEntropy.Average.STEP).loss();
        // log-sum-exp is convex: the CE of the mean logit is at most the mean of the CEs
        assertThat(window).isLessThan(step);
    }

    @Test
    void shouldRefuseAMaskThatIsNotZeroOrOneOrSelectsNothing() {
        NetworkParams p = Initializer.initialise(SPEC, InitSpec.seeded(1));
        Batch b = batch(true);
        double[] mask = b.target("mask").data().clone();
        mask[3] = 0.5;
        Map<String, Tensor> m = new HashMap<>();
        m.put("label", b.target("label"));
        m.put("mask", new Tensor(new int[] {B, T}, mask));
        assertThatThrownBy(
                        () ->
                                run(
                                        p,
                                        new Batch(b.x(), B, T, 4, m),
                                        ReadoutCrossEntropy.Average.WINDOW))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("mask [0, 3] = 0.5 is neither 0 nor 1");
        java.util.Arrays.fill(mask, 0, T, 0.0);
        assertThatThrownBy(
                        () ->
                                run(
                                        p,
                                        new Batch(b.x(), B, T, 4, m),
                                        ReadoutCrossEntropy.Average.STEP))
                .hasMessage("mask [0] selects no step: every sample needs a window");
        m.put("label", new Tensor(new int[] {B}, new double[] {0, 3, 1}));
        m.put("mask", b.target("mask"));
        assertThatThrownBy(
                        () ->
                                run(
                                        p,
                                        new Batch(b.x(), B, T, 4, m),
                                        ReadoutCrossEntropy.Average.STEP))
                .hasMessage("label [1] = 3.0 is not an integer in [0, 3)");
    }
}
