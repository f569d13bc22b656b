package org.spikeloop.signal.artifacts;

import java.util.SplittableRandom;

/** Test blocks: Gaussian noise with a per-channel σ, and Poisson-like counts. */
final class Blocks {
    private Blocks() {}

    /** frames × channels of N(0, (c + 1)²). */
    static double[] gaussian(int frames, int channels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[frames * channels];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                x[f * channels + c] = (c + 1) * Gaussian.next(rng);
            }
        }
        return x;
    }

    /** frames × channels of 0/1 spikes with probability p. */
    static double[] spikes(int frames, int channels, double p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[frames * channels];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < p ? 1 : 0;
        }
        return x;
    }

    static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
