package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spikeloop.learn.eprop.EpropFixtures.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spikeloop.snn.kernel.ReferenceNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ResetMode;

class EpropReferenceTest {
    private static final int T = 80;

    private static NeuronSpec neuron(NeuronModel model) {
        NeuronSpec n = model == NeuronModel.ALIF ? NeuronSpec.alif() : NeuronSpec.lif();
        return n.withAdaptation(60.0, 0.4).withRefractorySteps(2);
    }

    private static Map<String, double[]> eprop(
            NetworkSpec spec, NetworkParams p, double[][] x, double[][] y) {
        EpropReference ref = new EpropReference(spec, p, EpropConfig.builder().build());
        for (int t = 0; t < x.length; t++) {
            ref.step(x[t], y[t]);
        }
        return ref.gradients();
    }

    private static void assertNonZeroFinite(Map<String, double[]> g) {
        for (Map.Entry<String, double[]> e : g.entrySet()) {
            double max = 0.0;
            for (double d : e.getValue()) {
                assertThat(Double.isFinite(d)).as(e.getKey() + " finite").isTrue();
                max = Math.max(max, Math.abs(d));
            }
            assertThat(max).as(e.getKey() + " non-zero").isGreaterThan(1e-6);
        }
    }

    /**
     * E-prop's gradient equals BPTT's with the reset detached (and, with {@code
     * stopRecurrentGradient}, no gradient through the recurrent spikes) to 1e-9 relative error, on
     * seeded Poisson inputs ({@code seed}) and sine targets ({@code seed + 1}), after asserting the
     * BPTT gradient is finite and non-zero so the comparison is not vacuous.
     */
    private static void assertEpropEqualsTruncatedBptt(
            NetworkSpec spec, NetworkParams p, long seed, boolean stopRecurrentGradient) {
        double[][] x = poisson(T, spec.inputs(), 0.25, seed);
        double[][] y = sines(T, spec.outputs(), seed + 1);
        Map<String, double[]> bptt =
                BpttOracle.gradients(spec, p, x, y, true, stopRecurrentGradient);
        assertNonZeroFinite(bptt);
        Map<String, double[]> ep = eprop(spec, p, x, y);
        for (String name : bptt.keySet()) {
            assertThat(relativeError(ep, bptt, name)).as(name).isLessThan(1e-9);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = NeuronModel.class,
            names = {"LIF", "ALIF"})
    void shouldEqualBpttWithoutRecurrenceAndWithDetachedReset(NeuronModel model) {
        NetworkSpec spec = spec(6, 10, 2, false, neuron(model));
        assertEpropEqualsTruncatedBptt(spec, params(spec, 11, 2.0, 0.0), 12, false);
    }

    @ParameterizedTest
    @EnumSource(
            value = NeuronModel.class,
            names = {"LIF", "ALIF"})
    void shouldEqualBpttWithGradientStoppedThroughRecurrentSpikes(NeuronModel model) {
        NetworkSpec spec = spec(6, 10, 2, true, neuron(model));
        assertEpropEqualsTruncatedBptt(spec, params(spec, 21, 2.0, 1.0), 22, true);
    }

    @Test
    void shouldDifferFromFullBpttWhenRecurrenceCarriesGradient() {
        NetworkSpec spec = spec(6, 10, 2, true, neuron(NeuronModel.LIF));
        NetworkParams p = params(spec, 21, 2.0, 1.0);
        double[][] x = poisson(T, 6, 0.25, 22);
        double[][] y = sines(T, 2, 23);
        Map<String, double[]> full = BpttOracle.gradients(spec, p, x, y, false, false);
        Map<String, double[]> ep = eprop(spec, p, x, y);
        // e-prop is an approximation of the full gradient: the test above is not vacuous.
        assertThat(relativeError(ep, full, "layer0.w_in")).isGreaterThan(1e-6);
    }

    @Test
    void shouldEqualBpttForZeroReset() {
        NeuronSpec n = neuron(NeuronModel.LIF).withReset(ResetMode.ZERO, 0.1);
        NetworkSpec spec = spec(6, 10, 2, true, n);
        assertEpropEqualsTruncatedBptt(spec, params(spec, 31, 2.0, 1.0), 32, true);
    }

    @ParameterizedTest
    @EnumSource(
            value = NeuronModel.class,
            names = {"LIF", "ALIF"})
    void shouldRunTheSameForwardAsTheKernelReference(NeuronModel model) {
        NetworkSpec spec = spec(6, 10, 2, true, neuron(model));
        NetworkParams p = params(spec, 41, 2.0, 1.0);
        double[][] x = poisson(T, 6, 0.25, 42);
        EpropReference ep = new EpropReference(spec, p, EpropConfig.builder().build());
        ReferenceNetwork net = new ReferenceNetwork(spec, p);
        double[] out = new double[2];
        int spikes = 0;
        for (double[] frame : x) {
            ep.step(frame, null);
            net.step(frame, out);
            assertThat(ep.spikes()).containsExactly(net.spikes(0));
            assertThat(ep.readout()).containsExactly(out);
            for (double s : ep.spikes()) {
                spikes += (int) s;
            }
        }
        assertThat(spikes).isGreaterThan(10);
    }

    @Test
    void shouldRejectTwoCompartmentNeurons() {
        NetworkSpec spec = spec(3, 4, 1, true, NeuronSpec.twoCompartment());
        assertThatThrownBy(
                        () ->
                                new EpropReference(
                                        spec,
                                        NetworkParams.zeros(spec),
                                        EpropConfig.builder().build()))
                .hasMessageContaining("layers[0].neuron.model");
    }
}
