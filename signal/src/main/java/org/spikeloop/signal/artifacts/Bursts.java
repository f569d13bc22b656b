package org.spikeloop.signal.artifacts;

import java.util.SplittableRandom;

/**
 * Burst placement shared by the bursty artifacts: onsets of a Poisson process of {@code ratePerS}
 * (exponential gaps, Δ = −ln(1 − u)/rate), each burst {@code durationS} long; bursts may overlap.
 */
final class Bursts {
    private Bursts() {}

    /**
     * @return for each frame whether a burst covers it; onsets drawn from {@code rng}
     */
    static boolean[] mask(
            int frames, double rateHz, double ratePerS, double durationS, SplittableRandom rng) {
        boolean[] on = new boolean[frames];
        if (ratePerS == 0 || durationS == 0) {
            return on;
        }
        int len = Math.max(1, (int) Math.round(durationS * rateHz));
        double t = -Math.log(1 - rng.nextDouble()) / ratePerS;
        while (t * rateHz < frames) {
            int from = (int) (t * rateHz);
            for (int f = from; f < Math.min(frames, from + len); f++) {
                on[f] = true;
            }
            t += -Math.log(1 - rng.nextDouble()) / ratePerS;
        }
        return on;
    }
}
