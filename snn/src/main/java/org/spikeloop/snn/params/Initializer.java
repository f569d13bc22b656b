package org.spikeloop.snn.params;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.SplittableRandom;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * Draws fresh, seeded parameters: W ~ N(0, gain²/fan_in) for every weight matrix, zero biases,
 * thresholds and reset offsets at their initial values, recurrent diagonals zero and each W_rec
 * rescaled so that its spectral radius equals {@link InitSpec#spectralRadius()}.
 */
public final class Initializer {
    private static final int POWER_ITERATIONS = 200;

    private Initializer() {}

    /**
     * @param spec the architecture (not modified)
     * @param init seed and scales (not modified)
     * @return new parameters; the same arguments always give the same values
     */
    public static NetworkParams initialise(NetworkSpec spec, InitSpec init) {
        NetworkParams p = NetworkParams.zeros(spec);
        SplittableRandom rng = new SplittableRandom(init.seed());
        if (spec.conv() != null) {
            Tensor w = p.get(CONV_WEIGHT);
            gaussian(w.data(), init.inputGain() / Math.sqrt((double) w.dim(1) * w.dim(2)), rng);
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            Tensor in = p.get(inputWeights(l));
            gaussian(in.data(), init.inputGain() / Math.sqrt(in.dim(1)), rng);
            if (spec.layers().get(l).recurrent()) {
                Tensor rec = p.get(recurrentWeights(l));
                int h = rec.dim(0);
                gaussian(rec.data(), 1.0 / Math.sqrt(h), rng);
                for (int i = 0; i < h; i++) {
                    rec.data()[i * h + i] = 0.0;
                }
                double radius = spectralRadius(rec.data(), h, rng);
                if (radius > 0.0) {
                    double scale = init.spectralRadius() / radius;
                    double[] d = rec.data();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= scale;
                    }
                }
            }
        }
        Tensor out = p.get(READOUT_WEIGHT);
        gaussian(out.data(), init.readoutGain() / Math.sqrt(out.dim(1)), rng);
        return p;
    }

    private static void gaussian(double[] out, double std, SplittableRandom rng) {
        for (int i = 0; i < out.length; i++) {
            out[i] = std * nextGaussian(rng);
        }
    }

    /** Box–Muller; SplittableRandom has no nextGaussian on Java 17. */
    static double nextGaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /**
     * Estimates the spectral radius ρ(W) = lim ‖W^k x‖^(1/k) (Gelfand's formula) by power iteration
     * with renormalisation, averaging the log growth over the second half of the iterations so that
     * complex dominant eigenvalue pairs (which make single-step growth oscillate) are handled.
     *
     * @param w row-major n × n matrix (not modified)
     * @param n its size
     */
    public static double spectralRadius(double[] w, int n, SplittableRandom rng) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = nextGaussian(rng);
        }
        normalise(x);
        double logGrowth = 0.0;
        int counted = 0;
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            for (int i = 0; i < n; i++) {
                double s = 0.0;
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    s += w[row + j] * x[j];
                }
                y[i] = s;
            }
            double norm = normalise(y);
            if (norm == 0.0) {
                return 0.0;
            }
            if (it >= POWER_ITERATIONS / 2) {
                logGrowth += Math.log(norm);
                counted++;
            }
            double[] t = x;
            x = y;
            y = t;
        }
        return Math.exp(logGrowth / counted);
    }

    private static double normalise(double[] v) {
        double s = 0.0;
        for (double d : v) {
            s += d * d;
        }
        double norm = Math.sqrt(s);
        if (norm > 0.0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }
}
