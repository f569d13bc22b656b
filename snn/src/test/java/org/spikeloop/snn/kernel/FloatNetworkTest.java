package org.spikeloop.snn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.spikeloop.snn.params.ParameterNames.*;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.ResetMode;

class FloatNetworkTest {
    private static final int STEPS = 400;

    /** A spike may flip between float32 and float64 only this close to the threshold. */
    private static final double NEAR_THRESHOLD = 2e-4;

    record Case(String name, NetworkSpec spec, long seed, double inputGain, boolean denseInput) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        NeuronSpec lif = NeuronSpec.lif();
        NeuronSpec alif = NeuronSpec.alif();
        NeuronSpec two = NeuronSpec.twoCompartment().withDendrite(10.0, 1.5, false, 1.0);
        NeuronSpec twoSpiking = NeuronSpec.twoCompartment().withDendrite(10.0, 3.0, true, 0.2);
        NeuronSpec zero = lif.withReset(ResetMode.ZERO, 0.1);
        NeuronSpec refr = lif.withReset(ResetMode.SUBTRACT, 0.2).withRefractorySteps(3);
        NeuronSpec alifZeroRefr = alif.withReset(ResetMode.ZERO, 0.0).withRefractorySteps(2);
        return Stream.of(
                        new Case(
                                "lif subtract",
                                TestNetworks.oneLayer(40, 48, true, lif),
                                1,
                                4,
                                false),
                        new Case(
                                "lif zero reset δ",
                                TestNetworks.oneLayer(40, 48, true, zero),
                                2,
                                4,
                                false),
                        new Case(
                                "lif refractory δ",
                                TestNetworks.oneLayer(40, 48, true, refr),
                                3,
                                5,
                                false),
                        new Case("alif", TestNetworks.oneLayer(40, 48, true, alif), 4, 5, false),
                        new Case(
                                "alif zero reset refractory",
                                TestNetworks.oneLayer(40, 48, true, alifZeroRefr),
                                5,
                                5,
                                false),
                        new Case(
                                "two-compartment",
                                TestNetworks.oneLayer(40, 48, true, two),
                                6,
                                3,
                                false),
                        new Case(
                                "two-compartment dendritic spikes",
                                TestNetworks.oneLayer(40, 48, true, twoSpiking),
                                7,
                                1.5,
                                false),
                        new Case(
                                "non-recurrent",
                                TestNetworks.oneLayer(40, 48, false, lif),
                                8,
                                5,
                                false),
                        new Case(
                                "dense input",
                                TestNetworks.oneLayer(16, 48, true, alif),
                                9,
                                0.5,
                                true),
                        new Case(
                                "three layers mixed",
                                new NetworkSpec(
                                        1.0,
                                        40,
                                        null,
                                        List.of(
                                                new LayerSpec(40, true, lif),
                                                new LayerSpec(
                                                        32, false, alif.withRefractorySteps(2)),
                                                new LayerSpec(24, true, zero)),
                                        ReadoutSpec.leaky(3)),
                                10,
                                5,
                                false),
                        new Case(
                                "conv stride 2 padding 1",
                                TestNetworks.withConv(8, new ConvSpec(12, 5, 2, 1, lif), alif),
                                11,
                                1.5,
                                true),
                        new Case(
                                "conv stride 1 full padding",
                                TestNetworks.withConv(
                                        8,
                                        new ConvSpec(12, 3, 1, 2, zero.withRefractorySteps(2)),
                                        lif),
                                12,
                                1.5,
                                true),
                        new Case(
                                "spike-count readout",
                                new NetworkSpec(
                                        1.0,
                                        40,
                                        null,
                                        List.of(new LayerSpec(48, true, lif)),
                                        ReadoutSpec.spikeCount(4, alif)),
                                13,
                                4,
                                false))
                .map(Arguments::of);
    }

    private static double[][] inputs(Case c, long seed) {
        return c.denseInput()
                ? TestNetworks.dense(STEPS, c.spec().inputs(), 1.0, seed)
                : TestNetworks.poisson(STEPS, c.spec().inputs(), 0.05, seed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAgreeWithTheFloat64ReferenceStepForStep(Case c) {
        var net = TestNetworks.random(c.spec(), c.seed(), c.inputGain());
        ReferenceNetwork ref = new ReferenceNetwork(net.spec(), net.params());
        FloatNetwork f = new FloatNetwork(net.spec(), net.params());
        double[][] x = inputs(c, 100 + c.seed());
        int layers = c.spec().layers().size();
        double[] outRef = new double[c.spec().outputs()];
        float[] outF = new float[c.spec().outputs()];
        float[] xf = new float[c.spec().inputs()];
        long[] spikes = new long[layers];
        long neuronSteps = 0;
        int compared = 0;

        steps:
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < xf.length; i++) {
                xf[i] = (float) x[t][i];
            }
            boolean steppedRef = ref.step(x[t], outRef);
            boolean steppedF = f.step(xf, outF);
            assertThat(steppedF).as("stepped at %d", t).isEqualTo(steppedRef);
            if (!steppedRef) {
                continue;
            }
            // Bottom-up, so the first difference found is the cause, not a consequence.
            if (c.spec().conv() != null) {
                String where =
                        firstFlip(
                                t,
                                "conv",
                                ref.convSpikes(),
                                ref.convMembrane(),
                                null,
                                f.convLayer());
                if (where != null) {
                    break;
                }
                assertClose(t, "conv v", ref.convMembrane(), f.convLayer());
            }
            for (int l = 0; l < layers; l++) {
                if (firstFlip(
                                t,
                                "layer" + l,
                                ref.spikes(l),
                                ref.membrane(l),
                                ref.effectiveThreshold(l),
                                f.layer(l))
                        != null) {
                    break steps;
                }
                assertClose(t, "layer" + l + " v", ref.membrane(l), f.layer(l));
                for (double z : ref.spikes(l)) {
                    spikes[l] += (long) z;
                }
                neuronSteps += f.layer(l).size();
            }
            for (int o = 0; o < outRef.length; o++) {
                assertThat((double) outF[o])
                        .as("readout %d at step %d", o, t)
                        .isCloseTo(outRef[o], within(1e-4));
            }
            compared++;
        }

        assertThat(compared).as("steps compared before any near-threshold flip").isGreaterThan(150);
        for (int l = 0; l < layers; l++) {
            assertThat(spikes[l])
                    .as("layer %d spikes (test must exercise spiking)", l)
                    .isGreaterThan(20);
        }
        long total = 0;
        for (long s : spikes) {
            total += s;
        }
        assertThat((double) total / neuronSteps).as("mean spike probability").isLessThan(0.5);
    }

    /**
     * Returns null when the spikes agree. On a difference it asserts that the reference membrane
     * was within {@link #NEAR_THRESHOLD} of its threshold (float rounding may flip such a spike)
     * and returns a description; any other difference fails the test.
     */
    private static String firstFlip(
            int t, String what, double[] zRef, double[] vRef, double[] thresholdRef, LayerState f) {
        for (int j = 0; j < zRef.length; j++) {
            if (zRef[j] != f.z(j)) {
                double threshold = thresholdRef != null ? thresholdRef[j] : f.effectiveThreshold(j);
                assertThat(Math.abs(vRef[j] - threshold))
                        .as(
                                "%s neuron %d spike differs at step %d: v=%s A=%s",
                                what, j, t, vRef[j], threshold)
                        .isLessThan(NEAR_THRESHOLD);
                return what + "[" + j + "]@" + t;
            }
        }
        return null;
    }

    private static void assertClose(int t, String what, double[] ref, LayerState f) {
        for (int j = 0; j < ref.length; j++) {
            assertThat((double) f.v(j))
                    .as("%s[%d] at step %d", what, j, t)
                    .isCloseTo(ref[j], within(1e-4 * Math.max(1.0, Math.abs(ref[j]))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldGiveIdenticalResultsOnSparseAndDensePaths(Case c) {
        var net = TestNetworks.random(c.spec(), c.seed(), c.inputGain());
        FloatNetwork sparse = new FloatNetwork(net.spec(), net.params());
        FloatNetwork dense = new FloatNetwork(net.spec(), net.params());
        dense.useDenseProjections(true);
        double[][] x = inputs(c, 7 + c.seed());
        float[] xf = new float[c.spec().inputs()];
        float[] outS = new float[c.spec().outputs()];
        float[] outD = new float[c.spec().outputs()];
        float[] vS = new float[64];
        float[] vD = new float[64];
        long spikes = 0;
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < xf.length; i++) {
                xf[i] = (float) x[t][i];
            }
            assertThat(sparse.step(xf, outS)).isEqualTo(dense.step(xf, outD));
            assertThat(outS).as("readout at %d", t).containsExactly(outD);
            for (int l = 0; l < sparse.layerCount(); l++) {
                int h = sparse.layer(l).size();
                sparse.layer(l).copyMembrane(vS);
                dense.layer(l).copyMembrane(vD);
                for (int j = 0; j < h; j++) {
                    assertThat(vS[j]).as("layer %d v[%d] at %d", l, j, t).isEqualTo(vD[j]);
                }
                spikes += sparse.layer(l).spikeCount();
            }
        }
        assertThat(spikes).isPositive();
    }

    @Test
    void shouldListTheSpikingNeuronsInAscendingOrder() {
        var net = TestNetworks.random(TestNetworks.oneLayer(40, 48, true, NeuronSpec.lif()), 1, 4);
        FloatNetwork f = new FloatNetwork(net.spec(), net.params());
        double[][] x = TestNetworks.poisson(100, 40, 0.05, 3);
        float[] xf = new float[40];
        float[] out = new float[3];
        int seen = 0;
        for (double[] frame : x) {
            for (int i = 0; i < 40; i++) {
                xf[i] = (float) frame[i];
            }
            f.step(xf, out);
            LayerState s = f.layer(0);
            int k = 0;
            for (int j = 0; j < s.size(); j++) {
                if (s.z(j) == 1f) {
                    assertThat(s.spikeIndex(k++)).isEqualTo(j);
                }
            }
            assertThat(s.spikeCount()).isEqualTo(k);
            seen += k;
        }
        assertThat(seen).isPositive();
    }

    @Test
    void shouldExposeRefractoryStateForEprop() {
        var net = TestNetworks.singleNeuron(NeuronSpec.lif().withRefractorySteps(3), 1.0);
        FloatNetwork f = new FloatNetwork(net.spec(), net.params());
        float[] out = new float[1];
        boolean[] wasRefractory = new boolean[5];
        int[] counts = new int[5];
        for (int t = 0; t < 5; t++) {
            f.step(new float[] {2f}, out);
            wasRefractory[t] = f.layer(0).wasRefractory(0);
            counts[t] = f.layer(0).refractoryCount(0);
        }
        assertThat(wasRefractory).containsExactly(false, true, true, false, true);
        assertThat(counts).containsExactly(2, 1, 0, 2, 1);
        assertThat(f.layer(0).zPrev(0)).isEqualTo(1f); // spike at step 3
    }

    @Test
    void shouldRejectAWrongInputLengthNamingBothSizes() {
        var net = TestNetworks.random(TestNetworks.oneLayer(40, 8, true, NeuronSpec.lif()), 1, 1);
        FloatNetwork f = new FloatNetwork(net.spec(), net.params());

        assertThatThrownBy(() -> f.step(new float[39], new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("39 channels")
                .hasMessageContaining("40");
        assertThatThrownBy(() -> f.step(new float[40], new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out has length 2");
    }

    @Test
    void shouldRejectNaNAndInfinityNamingTheChannelAndLeaveTheStateUnchanged() {
        var net = TestNetworks.random(TestNetworks.oneLayer(40, 8, true, NeuronSpec.lif()), 1, 4);
        FloatNetwork f = new FloatNetwork(net.spec(), net.params());
        float[] x = new float[40];
        float[] out = new float[3];
        x[3] = 1f;
        f.step(x, out);
        float v0 = f.layer(0).v(0);

        x[17] = Float.NaN;
        assertThatThrownBy(() -> f.step(x, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input channel 17 is NaN");
        x[17] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> f.step(x, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input channel 17 is -Infinity");
        assertThat(f.layer(0).v(0)).isEqualTo(v0);
    }

    @Test
    void shouldRejectNonFiniteInputInTheReferenceToo() {
        var net = TestNetworks.random(TestNetworks.oneLayer(4, 8, true, NeuronSpec.lif()), 1, 4);
        ReferenceNetwork ref = new ReferenceNetwork(net.spec(), net.params());

        assertThatThrownBy(
                        () ->
                                ref.step(
                                        new double[] {0, Double.POSITIVE_INFINITY, 0, 0},
                                        new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input channel 1 is Infinity");
        assertThatThrownBy(() -> ref.step(new double[5], new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 channels");
    }

    @Test
    void shouldRoundTripParametersThroughExportAndLoad() {
        NetworkSpec spec =
                TestNetworks.withConv(
                        6, new ConvSpec(5, 3, 2, 1, NeuronSpec.lif()), NeuronSpec.alif());
        var net = TestNetworks.random(spec, 21, 1.0);
        FloatNetwork f = new FloatNetwork(spec, net.params());

        NetworkParams exported = f.exportParams();

        for (String name : net.params().names()) {
            assertThat(exported.get(name).shape()).isEqualTo(net.params().get(name).shape());
            assertThat(exported.get(name).data())
                    .as(name)
                    .containsExactly(net.params().get(name).data()); // float32-exact values
        }
    }

    @Test
    void shouldLoadNewWeightsKeepingStateAndRejectMismatchedOnes() {
        var net = TestNetworks.random(TestNetworks.oneLayer(4, 8, true, NeuronSpec.lif()), 1, 4);
        FloatNetwork f = new FloatNetwork(net.spec(), net.params());
        float[] out = new float[3];
        f.step(new float[] {1, 1, 0, 0}, out);
        float v = f.layer(0).v(2);
        NetworkParams changed = net.params().copy();
        changed.get(inputWeights(0)).data()[2 * 4] = 0.25; // W_in[2, 0]

        f.loadParams(changed);

        assertThat(f.layer(0).v(2)).isEqualTo(v);
        assertThat(f.exportParams().get(inputWeights(0)).data()[8]).isEqualTo(0.25);
        NetworkSpec other = TestNetworks.oneLayer(5, 8, true, NeuronSpec.lif());
        var wrong = TestNetworks.random(other, 1, 1);
        assertThatThrownBy(() -> f.loadParams(wrong.params()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer0.w_in");
        assertThat(f.exportParams().get(inputWeights(0)).data()[8]).isEqualTo(0.25);
    }

    @Test
    void shouldNotAllocateWhileStepping() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NeuronSpec alif = NeuronSpec.alif().withRefractorySteps(2);
        NetworkSpec spec =
                new NetworkSpec(
                        1.0,
                        16,
                        new ConvSpec(8, 3, 2, 1, NeuronSpec.lif()),
                        List.of(
                                new LayerSpec(64, true, alif),
                                new LayerSpec(32, false, NeuronSpec.twoCompartment())),
                        ReadoutSpec.spikeCount(3, NeuronSpec.lif()));
        var net = TestNetworks.random(spec, 5, 2);
        FloatNetwork f = new FloatNetwork(spec, net.params());
        double[][] x = TestNetworks.dense(1000, 16, 1.0, 5);
        float[][] xf = new float[1000][16];
        for (int t = 0; t < 1000; t++) {
            for (int i = 0; i < 16; i++) {
                xf[t][i] = (float) x[t][i];
            }
        }
        float[] out = new float[3];
        for (int rep = 0; rep < 30; rep++) { // let C2 compile step()
            for (float[] frame : xf) {
                f.step(frame, out);
            }
        }
        long thread = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(thread);
        for (int rep = 0; rep < 10; rep++) {
            for (float[] frame : xf) {
                f.step(frame, out);
            }
        }
        long allocated = bean.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated by 10 000 steps").isZero();
    }
}
