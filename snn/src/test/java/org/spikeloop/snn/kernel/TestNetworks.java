package org.spikeloop.snn.kernel;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.List;
import java.util.SplittableRandom;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** Networks for the kernel tests: tiny hand-computable ones and seeded random ones. */
final class TestNetworks {
    /** τ for which e^(−1/τ) = 1/2 at dt = 1 ms, so hand computations halve. */
    static final double HALVING_TAU_MS = 1.0 / Math.log(2.0);

    private TestNetworks() {}

    record Net(NetworkSpec spec, NetworkParams params) {}

    /** One input, one non-recurrent neuron with w_in = w, θ = 1, α = 1/2; leaky readout w = 1. */
    static Net singleNeuron(NeuronSpec neuron, double w) {
        NeuronSpec n = neuron.withMembrane(HALVING_TAU_MS, 1.0);
        NetworkSpec spec =
                new NetworkSpec(
                        1.0, 1, null, List.of(new LayerSpec(1, false, n)), ReadoutSpec.leaky(1));
        NetworkParams p = NetworkParams.zeros(spec);
        p.get(inputWeights(0)).data()[0] = w;
        p.get(READOUT_WEIGHT).data()[0] = 1.0;
        return new Net(spec, p);
    }

    /**
     * A seeded random network with thresholds, reset offsets and biases jittered per neuron, input
     * weights scaled by {@code inputGain} so that the layers fire.
     */
    static Net random(NetworkSpec spec, long seed, double inputGain) {
        NetworkParams p = Initializer.initialise(spec, new InitSpec(seed, inputGain, 0.9, 1.0));
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        if (spec.conv() != null) {
            jitterNeurons(p, CONV_BIAS, CONV_THRESHOLD, CONV_RESET_OFFSET, rng);
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            jitterNeurons(p, bias(l), threshold(l), resetOffset(l), rng);
        }
        double[] b = p.get(READOUT_BIAS).data();
        for (int o = 0; o < b.length; o++) {
            b[o] = 0.2 * (rng.nextDouble() - 0.5);
        }
        if (p.has(READOUT_THRESHOLD)) {
            double[] th = p.get(READOUT_THRESHOLD).data();
            for (int o = 0; o < th.length; o++) {
                th[o] = 0.3 + 0.2 * rng.nextDouble();
            }
        }
        // Float32-representable values, so both kernels start from identical parameters.
        for (var t : p.asMap().values()) {
            double[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) d[i];
            }
        }
        return new Net(spec, p);
    }

    private static void jitterNeurons(
            NetworkParams p, String bias, String threshold, String offset, SplittableRandom rng) {
        double[] b = p.get(bias).data();
        double[] th = p.get(threshold).data();
        double[] off = p.get(offset).data();
        for (int j = 0; j < b.length; j++) {
            b[j] = 0.05 * (rng.nextDouble() - 0.5);
            th[j] *= 0.8 + 0.4 * rng.nextDouble();
            off[j] += 0.2 * rng.nextDouble();
        }
    }

    /** One recurrent layer of {@code h} neurons over {@code inputs} inputs, leaky readout of 3. */
    static NetworkSpec oneLayer(int inputs, int h, boolean recurrent, NeuronSpec neuron) {
        return new NetworkSpec(
                1.0,
                inputs,
                null,
                List.of(new LayerSpec(h, recurrent, neuron)),
                ReadoutSpec.leaky(3));
    }

    static NetworkSpec withConv(int inputs, ConvSpec conv, NeuronSpec layerNeuron) {
        return new NetworkSpec(
                1.0,
                inputs,
                conv,
                List.of(new LayerSpec(24, true, layerNeuron)),
                ReadoutSpec.leaky(2));
    }

    /** Poisson spike frames: each channel is 1 with probability {@code p} per step. */
    static double[][] poisson(int steps, int inputs, double p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[steps][inputs];
        for (double[] frame : x) {
            for (int i = 0; i < inputs; i++) {
                frame[i] = rng.nextDouble() < p ? 1.0 : 0.0;
            }
        }
        return x;
    }

    /** Dense Gaussian feature frames (EEG-like), values representable in float32. */
    static double[][] dense(int steps, int inputs, double std, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[steps][inputs];
        for (double[] frame : x) {
            for (int i = 0; i < inputs; i++) {
                double u1 = rng.nextDouble();
                double u2 = rng.nextDouble();
                double g = Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
                frame[i] = (float) (std * g);
            }
        }
        return x;
    }
}
