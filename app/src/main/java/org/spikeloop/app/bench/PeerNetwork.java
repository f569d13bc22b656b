package org.spikeloop.app.bench;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.SplittableRandom;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * The network and input stream of the PyTorch peer ({@code ../shared/bench/torch_step.py}): one
 * recurrent layer, θ = 1, α = κ = e^(−1/20) (τ = 20 ms, dt = 1 ms), reset by subtraction, no
 * autapses, leaky readout; W_in ~ N(0, 1/in), W_rec ~ N(0, 1/H), W_out ~ N(0, 1/H), zero biases;
 * Poisson inputs at 20 Hz. Like the peer, W_in and W_rec are scaled by one factor chosen so the
 * recurrent rate lies in 5–50 Hz ({@link #calibrate}). Control plane; allocates.
 */
public final class PeerNetwork {
    static final double RATE_LO_HZ = 5.0;
    static final double RATE_HI_HZ = 50.0;
    static final double INPUT_RATE_HZ = 20.0;
    static final double DT_MS = 1.0;

    private PeerNetwork() {}

    /** The spec: LIF or ALIF (τ_a = 200 ms, β = 1.7) neurons with the peer's constants. */
    public static NetworkSpec spec(String model, int inputs, int neurons, int outputs) {
        NeuronSpec neuron =
                switch (model) {
                    case "lif" -> NeuronSpec.lif();
                    case "alif" -> NeuronSpec.alif();
                    default ->
                            throw new IllegalArgumentException(
                                    "--model: must be lif or alif, got '" + model + "'");
                };
        return NetworkSpec.recurrent(inputs, neurons, outputs, neuron.withMembrane(20.0, 1.0));
    }

    /** Seeded weights, W_in and W_rec multiplied by {@code scale}. */
    public static NetworkParams params(NetworkSpec spec, double scale, long seed) {
        NetworkParams p = NetworkParams.zeros(spec);
        SplittableRandom rng = new SplittableRandom(seed);
        int h = spec.lastLayerSize();
        gaussian(p.get(inputWeights(0)).data(), scale / Math.sqrt(spec.inputs()), rng);
        double[] rec = p.get(recurrentWeights(0)).data();
        gaussian(rec, scale / Math.sqrt(h), rng);
        for (int i = 0; i < h; i++) {
            rec[i * h + i] = 0.0; // no autapses
        }
        gaussian(p.get(READOUT_WEIGHT).data(), 1.0 / Math.sqrt(h), rng);
        return p;
    }

    /** Poisson spike frames at {@value #INPUT_RATE_HZ} Hz, [steps][inputs]. */
    public static float[][] poissonInputs(int steps, int inputs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double p = INPUT_RATE_HZ * DT_MS / 1000.0;
        float[][] x = new float[steps][inputs];
        for (float[] frame : x) {
            for (int i = 0; i < inputs; i++) {
                frame[i] = rng.nextDouble() < p ? 1f : 0f;
            }
        }
        return x;
    }

    /** Gaussian regression targets (for e-prop's learning signal), [steps][outputs]. */
    public static float[][] targets(int steps, int outputs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] y = new float[steps][outputs];
        for (float[] row : y) {
            for (int o = 0; o < outputs; o++) {
                row[o] = (float) nextGaussian(rng);
            }
        }
        return y;
    }

    /** Mean recurrent rate (Hz) of a fresh network over {@code steps}, skipping the first fifth. */
    public static double meanRateHz(
            NetworkSpec spec, double scale, long seed, float[][] x, int steps) {
        FloatNetwork net = new FloatNetwork(spec, params(spec, scale, seed));
        float[] out = new float[spec.outputs()];
        long spikes = 0;
        for (int t = 0; t < steps; t++) {
            net.step(x[t % x.length], out);
            if (t >= steps / 5) {
                spikes += net.layer(0).spikeCount();
            }
        }
        return spikes / (spec.lastLayerSize() * (steps - steps / 5) * DT_MS / 1000.0);
    }

    /** The chosen scale and the rates it gave. */
    public record Calibration(double scale, double rateAtUnitScaleHz, double rateHz) {}

    /**
     * The peer's calibration: scale 1 if its rate is in [5, 50] Hz, else a deterministic bisection
     * in log scale toward √(5·50) Hz.
     */
    public static Calibration calibrate(NetworkSpec spec, long seed, float[][] x) {
        int steps = 3000;
        double r1 = meanRateHz(spec, 1.0, seed, x, steps);
        if (r1 >= RATE_LO_HZ && r1 <= RATE_HI_HZ) {
            return new Calibration(1.0, r1, r1);
        }
        double target = Math.sqrt(RATE_LO_HZ * RATE_HI_HZ);
        double lo = r1 < RATE_LO_HZ ? 1.0 : 0.05;
        double hi = r1 < RATE_LO_HZ ? 8.0 : 1.0;
        double s = 1.0;
        double r = r1;
        for (int i = 0; i < 30; i++) {
            s = Math.sqrt(lo * hi);
            r = meanRateHz(spec, s, seed, x, steps);
            if (r >= RATE_LO_HZ && r <= RATE_HI_HZ && Math.abs(Math.log(r / target)) < 0.5) {
                break;
            }
            if (r < target) {
                lo = s;
            } else {
                hi = s;
            }
        }
        return new Calibration(s, r1, r);
    }

    private static void gaussian(double[] out, double std, SplittableRandom rng) {
        for (int i = 0; i < out.length; i++) {
            out[i] = std * nextGaussian(rng);
        }
    }

    private static double nextGaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
