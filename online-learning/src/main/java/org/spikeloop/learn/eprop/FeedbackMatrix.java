package org.spikeloop.learn.eprop;

import java.util.Random;

/**
 * The fixed random feedback matrix of random e-prop (Bellec et al. 2020, Methods eq. (29)): B [O,
 * H] row-major, entries N(0, 1/H) drawn from {@code java.util.Random(seed)} in row-major order, so
 * the float64 reference and the float32 learner (and anyone reading this javadoc) get the same
 * matrix for the same seed. Control plane only (allocates).
 */
public final class FeedbackMatrix {
    private FeedbackMatrix() {}

    /**
     * @param outputs O
     * @param neurons H
     * @param seed the seed
     * @return B as a new row-major [O, H] array
     */
    public static double[] random(int outputs, int neurons, long seed) {
        Random rng = new Random(seed);
        double[] b = new double[outputs * neurons];
        double scale = 1.0 / Math.sqrt(neurons);
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian() * scale;
        }
        return b;
    }
}
