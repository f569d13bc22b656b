package org.spikeloop.signal.artifacts;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom} (Box–Muller, one of the pair used). */
final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(); // (0, 1]: the log is finite
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
