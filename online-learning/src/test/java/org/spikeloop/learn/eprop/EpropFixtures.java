package org.spikeloop.learn.eprop;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** Small seeded networks and data for the e-prop tests. */
final class EpropFixtures {
    private EpropFixtures() {}

    static NetworkSpec spec(int inputs, int neurons, int outputs, boolean recurrent, NeuronSpec n) {
        return new NetworkSpec(
                1.0,
                inputs,
                null,
                List.of(new LayerSpec(neurons, recurrent, n)),
                ReadoutSpec.leaky(outputs));
    }

    /** Gaussian weights scaled so that Poisson inputs at p = 0.2 make the layer fire. */
    static NetworkParams params(NetworkSpec spec, long seed, double inScale, double recScale) {
        SplittableRandom rng = new SplittableRandom(seed);
        NetworkParams p = NetworkParams.zeros(spec);
        int h = spec.layers().get(0).size();
        int in = spec.inputs();
        fill(p.get(inputWeights(0)).data(), rng, inScale / Math.sqrt(in), 0.15);
        if (spec.layers().get(0).recurrent()) {
            double[] w = p.get(recurrentWeights(0)).data();
            fill(w, rng, recScale / Math.sqrt(h), 0.0);
            for (int j = 0; j < h; j++) {
                w[j * h + j] = 0.0;
            }
        }
        fill(p.get(bias(0)).data(), rng, 0.05, 0.0);
        fill(p.get(READOUT_WEIGHT).data(), rng, 1.0 / Math.sqrt(h), 0.0);
        fill(p.get(READOUT_BIAS).data(), rng, 0.1, 0.0);
        return p;
    }

    private static void fill(double[] w, SplittableRandom rng, double std, double mean) {
        for (int i = 0; i < w.length; i++) {
            w[i] = mean + std * gaussian(rng);
        }
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** Bernoulli(p) spike frames [T][inputs]. */
    static double[][] poisson(int steps, int inputs, double p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[steps][inputs];
        for (double[] row : x) {
            for (int i = 0; i < inputs; i++) {
                row[i] = rng.nextDouble() < p ? 1.0 : 0.0;
            }
        }
        return x;
    }

    /** A smooth target [T][outputs] (sums of sines). */
    static double[][] sines(int steps, int outputs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] y = new double[steps][outputs];
        for (int k = 0; k < outputs; k++) {
            double a1 = 0.5 + rng.nextDouble();
            double a2 = 0.5 + rng.nextDouble();
            double ph = rng.nextDouble() * 6.28;
            for (int t = 0; t < steps; t++) {
                y[t][k] = a1 * Math.sin(2 * Math.PI * t / 50.0 + ph) + a2 * Math.sin(t / 9.0);
            }
        }
        return y;
    }

    /** max |a − b| / max |b| over all entries of the named parameters (b is the reference). */
    static double relativeError(Map<String, double[]> a, Map<String, double[]> b, String name) {
        double[] x = a.get(name);
        double[] ref = b.get(name);
        double maxDiff = 0.0;
        double maxRef = 0.0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(x[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / maxRef;
    }
}
