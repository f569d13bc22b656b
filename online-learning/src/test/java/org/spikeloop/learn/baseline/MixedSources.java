package org.spikeloop.learn.baseline;

import java.util.SplittableRandom;

/**
 * Test helper: a known linear mixture of sources, x = M·s, with a random well-conditioned mixing
 * matrix M (identity plus a random part), and a narrowband AR(2) source generator.
 */
final class MixedSources {
    final int channels;
    final double[][] mixing; // [channel][source]

    MixedSources(int channels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        this.channels = channels;
        mixing = new double[channels][channels];
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < channels; s++) {
                mixing[c][s] = (c == s ? 1.0 : 0.0) + 0.4 * rng.nextGaussian();
            }
        }
    }

    void mix(double[] sources, double[] out) {
        for (int c = 0; c < channels; c++) {
            double v = 0;
            for (int s = 0; s < channels; s++) {
                v += mixing[c][s] * sources[s];
            }
            out[c] = v;
        }
    }

    /** Cosine between filter w's response to source j and its response vector to all sources. */
    double selectivity(double[] w, int source) {
        double total = 0;
        double own = 0;
        for (int s = 0; s < channels; s++) {
            double r = 0;
            for (int c = 0; c < channels; c++) {
                r += w[c] * mixing[c][s];
            }
            total += r * r;
            if (s == source) {
                own = r * r;
            }
        }
        return Math.sqrt(own / total);
    }

    /** Unit-variance narrowband rhythm (resonator at centreHz, bandwidth 2 Hz). */
    static final class Rhythm {
        private final double a1;
        private final double a2;
        private final double sigma;
        private double x1;
        private double x2;

        Rhythm(double centreHz, double fs) {
            double r = Math.exp(-Math.PI * 2.0 / fs);
            a1 = 2 * r * Math.cos(2 * Math.PI * centreHz / fs);
            a2 = -r * r;
            double gamma0 = (1 - a2) / ((1 + a2) * ((1 - a2) * (1 - a2) - a1 * a1));
            sigma = 1 / Math.sqrt(gamma0);
        }

        double next(SplittableRandom rng) {
            double x = a1 * x1 + a2 * x2 + sigma * rng.nextGaussian();
            x2 = x1;
            x1 = x;
            return x;
        }
    }
}
