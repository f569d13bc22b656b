package org.spikeloop.snn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.spikeloop.snn.kernel.TestNetworks.HALVING_TAU_MS;
import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.ResetMode;

/**
 * Hand-computed step-by-step sequences (α = ρ = α_d = 1/2, θ = 1) for every neuron feature, run
 * against both kernels. The expected values are worked out in the comments.
 */
class NeuronDynamicsTest {
    private static final double TOL = 1e-6;

    private static void run(KernelUnderTest k, double x, double[] expectedV, double[] expectedZ) {
        double[] out = new double[1];
        for (int t = 0; t < expectedV.length; t++) {
            k.step(new double[] {x}, out);
            assertThat(k.v(0, 0)).as("v at step %d", t).isCloseTo(expectedV[t], within(TOL));
            assertThat(k.z(0, 0)).as("z at step %d", t).isEqualTo(expectedZ[t]);
        }
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldSubtractThresholdOneStepAfterASpike(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif(), 1.0);
        // v: .6, .3+.6, .45+.6 = 1.05 (spike), .525+.6−1, .0625+.6, .33125+.6, .465625+.6 (spike)
        run(
                kind.create(net.spec(), net.params()),
                0.6,
                new double[] {0.6, 0.9, 1.05, 0.125, 0.6625, 0.93125, 1.065625},
                new double[] {0, 0, 1, 0, 0, 0, 1});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldSubtractThresholdMinusOffset(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif().withReset(ResetMode.SUBTRACT, 0.2), 1);
        // step 3: .525 + .6 − (1 − .2) = .325; step 4: .1625 + .6
        run(
                kind.create(net.spec(), net.params()),
                0.6,
                new double[] {0.6, 0.9, 1.05, 0.325, 0.7625},
                new double[] {0, 0, 1, 0, 0});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldResetToOffsetInZeroMode(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif().withReset(ResetMode.ZERO, 0.3), 1);
        // step 3: (1−1)·α·v + δ + I = .3 + .6; step 4: .45 + .6 = 1.05 (spike); step 5: .3 + .6
        run(
                kind.create(net.spec(), net.params()),
                0.6,
                new double[] {0.6, 0.9, 1.05, 0.9, 1.05, 0.9},
                new double[] {0, 0, 1, 0, 1, 0});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldNotSpikeExactlyAtThreshold(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif(), 1.0);
        // v_0 = 1.0 = θ exactly: H is strict, no spike; v_1 = .5 + 1 spikes.
        run(
                kind.create(net.spec(), net.params()),
                1.0,
                new double[] {1.0, 1.5},
                new double[] {0, 1});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldBlockSpikesWhileRefractoryAndKeepIntegrating(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif().withRefractorySteps(3), 1.0);
        // I = 2 every step. r: 2, 1, 0, 2, 1, 0, 2 — refractory at t when r_{t−1} > 0.
        // v: 2 (spike), 1+2−1 = 2 (blocked), 1+2 = 3 (blocked), 1.5+2 = 3.5 (spike),
        //    1.75+2−1 = 2.75 (blocked), 1.375+2 = 3.375 (blocked), 1.6875+2 (spike)
        run(
                kind.create(net.spec(), net.params()),
                2.0,
                new double[] {2, 2, 3, 3.5, 2.75, 3.375, 3.6875},
                new double[] {1, 0, 0, 1, 0, 0, 1});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldTreatOneRefractoryStepAsTheSpikeStepOnly(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif().withRefractorySteps(1), 1.0);
        // r_t = clip(r + 1·z − 1, 0, 1) = 0: never blocked. v: 2, 1+2−1 = 2, ...
        run(
                kind.create(net.spec(), net.params()),
                2.0,
                new double[] {2, 2, 2},
                new double[] {1, 1, 1});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldRaiseTheAdaptiveThresholdOneStepAfterASpike(KernelUnderTest.Kind kind) {
        var net =
                TestNetworks.singleNeuron(
                        NeuronSpec.alif().withAdaptation(HALVING_TAU_MS, 0.5), 1.0);
        // a: 0, 0, 1, .5, .25, 1.125; A = 1 + .5a: 1, 1, 1.5, 1.25, 1.125, 1.5625
        // v: .8, .4+.8 = 1.2 (spike), .6+.8−1 = .4, .2+.8 = 1.0 (< 1.25), .5+.8 = 1.3 (> 1.125,
        //    spike), .65+.8−1 = .45
        run(
                kind.create(net.spec(), net.params()),
                0.8,
                new double[] {0.8, 1.2, 0.4, 1.0, 1.3, 0.45},
                new double[] {0, 1, 0, 0, 1, 0});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldDriveTheSomaThroughTheDendrite(KernelUnderTest.Kind kind) {
        var net =
                TestNetworks.singleNeuron(
                        NeuronSpec.twoCompartment().withDendrite(HALVING_TAU_MS, 2.0, false, 1.0),
                        1.0);
        // d: .3, .45, .525; soma input 2d: .6, .9, 1.05; v: .6, .3+.9 = 1.2 (spike), .6+1.05−1
        run(
                kind.create(net.spec(), net.params()),
                0.3,
                new double[] {0.6, 1.2, 0.65},
                new double[] {0, 1, 0});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldGateTheSomaWithDendriticSpikes(KernelUnderTest.Kind kind) {
        var net =
                TestNetworks.singleNeuron(
                        NeuronSpec.twoCompartment().withDendrite(HALVING_TAU_MS, 2.0, true, 0.5),
                        1.0);
        // d: .3, .45, .525, .5625; gate H(d − .5): 0, 0, 1, 1; v: 0, 0, 1.05 (spike), .525+1.125−1
        run(
                kind.create(net.spec(), net.params()),
                0.3,
                new double[] {0, 0, 1.05, 0.65},
                new double[] {0, 0, 1, 0});
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldFeedRecurrentSpikesOneStepLater(KernelUnderTest.Kind kind) {
        NeuronSpec n = NeuronSpec.lif().withMembrane(HALVING_TAU_MS, 1.0);
        NetworkSpec spec =
                new NetworkSpec(
                        1.0, 1, null, List.of(new LayerSpec(2, true, n)), ReadoutSpec.leaky(1));
        NetworkParams p = NetworkParams.zeros(spec);
        p.get(inputWeights(0)).data()[0] = 1.5; // only neuron 0 sees the input
        p.get(recurrentWeights(0)).data()[2] = 1.5; // W_rec[1, 0]
        KernelUnderTest k = kind.create(spec, p);
        double[] out = new double[1];

        k.step(new double[] {1.0}, out);
        assertThat(k.z(0, 0)).isEqualTo(1.0);
        assertThat(k.v(0, 1)).isZero();
        k.step(new double[] {0.0}, out);
        assertThat(k.v(0, 1)).isCloseTo(1.5, within(TOL));
        assertThat(k.z(0, 1)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldPropagateSpikesUpTheStackWithinOneStep(KernelUnderTest.Kind kind) {
        NeuronSpec n = NeuronSpec.lif().withMembrane(HALVING_TAU_MS, 1.0);
        NetworkSpec spec =
                new NetworkSpec(
                        1.0,
                        1,
                        null,
                        List.of(new LayerSpec(1, false, n), new LayerSpec(1, false, n)),
                        ReadoutSpec.spikeCount(1, n));
        NetworkParams p = NetworkParams.zeros(spec);
        p.get(inputWeights(0)).data()[0] = 2.0;
        p.get(inputWeights(1)).data()[0] = 1.5;
        p.get(READOUT_WEIGHT).data()[0] = 1.2;
        KernelUnderTest k = kind.create(spec, p);
        double[] out = new double[1];

        k.step(new double[] {1.0}, out);

        assertThat(k.z(0, 0)).isEqualTo(1.0);
        assertThat(k.v(1, 0)).isCloseTo(1.5, within(TOL));
        assertThat(k.z(1, 0)).isEqualTo(1.0);
        assertThat(out[0]).as("spike-count output neuron, same step").isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldLowPassTheLeakyReadout(KernelUnderTest.Kind kind) {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif(), 1.0);
        net.params().get(READOUT_BIAS).data()[0] = 0.1;
        KernelUnderTest k = kind.create(net.spec(), net.params());
        double kappa = Math.exp(-1.0 / 20.0);
        double y = 0.0;
        double[] out = new double[1];
        for (int t = 0; t < 7; t++) {
            k.step(new double[] {0.6}, out);
            y = kappa * y + (1 - kappa) * (k.z(0, 0) + 0.1);
            assertThat(out[0]).as("y at step %d", t).isCloseTo(y, within(TOL));
        }
        assertThat(y).isGreaterThan(0.1 * (1 - Math.pow(kappa, 7)));
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldConvolveTheLastKFramesAndEmitOnTheStrideSchedule(KernelUnderTest.Kind kind) {
        NeuronSpec silent = NeuronSpec.lif().withMembrane(HALVING_TAU_MS, 100.0);
        ConvSpec conv = new ConvSpec(1, 2, 1, 1, silent); // K = 2, padding 1: every frame
        NetworkSpec spec =
                new NetworkSpec(
                        1.0,
                        1,
                        conv,
                        List.of(new LayerSpec(1, false, silent)),
                        ReadoutSpec.leaky(1));
        NetworkParams p = NetworkParams.zeros(spec);
        double[] w = p.get(CONV_WEIGHT).data(); // tap 0 sees x_{t−1}, tap 1 sees x_t
        w[0] = 0.5;
        w[1] = 1.0;
        KernelUnderTest k = kind.create(spec, p);
        double[] out = new double[1];
        // c: 1, .5·1 + 2 = 2.5, .5·2 + 3 = 4; v: 1, .5 + 2.5 = 3, 1.5 + 4 = 5.5
        double[] expected = {1.0, 3.0, 5.5};
        for (int t = 0; t < 3; t++) {
            assertThat(k.step(new double[] {t + 1.0}, out)).isTrue();
            assertThat(k.convV(0)).isCloseTo(expected[t], within(TOL));
        }
    }

    @ParameterizedTest
    @EnumSource(KernelUnderTest.Kind.class)
    void shouldStepOnlyOnStridedConvOutputs(KernelUnderTest.Kind kind) {
        NeuronSpec n = NeuronSpec.lif();
        // K = 3, stride 2, padding 1: q = t − 1, outputs at t = 1, 3, 5, ...
        NetworkSpec spec =
                new NetworkSpec(
                        1.0,
                        2,
                        new ConvSpec(2, 3, 2, 1, n),
                        List.of(new LayerSpec(3, true, n)),
                        ReadoutSpec.leaky(1));
        KernelUnderTest k = kind.create(spec, NetworkParams.zeros(spec));
        double[] out = {-7.0};
        boolean[] stepped = new boolean[7];
        for (int t = 0; t < stepped.length; t++) {
            stepped[t] = k.step(new double[] {1, 1}, out);
        }
        assertThat(stepped).containsExactly(false, true, false, true, false, true, false);

        // Padding 0, stride 3: q = t − 2, outputs at t = 2, 5.
        NetworkSpec unpadded =
                new NetworkSpec(
                        1.0,
                        2,
                        new ConvSpec(2, 3, 3, 0, n),
                        List.of(new LayerSpec(3, true, n)),
                        ReadoutSpec.leaky(1));
        KernelUnderTest u = kind.create(unpadded, NetworkParams.zeros(unpadded));
        for (int t = 0; t < stepped.length; t++) {
            stepped[t] = u.step(new double[] {1, 1}, out);
        }
        assertThat(stepped).containsExactly(false, false, true, false, false, true, false);
    }
}
