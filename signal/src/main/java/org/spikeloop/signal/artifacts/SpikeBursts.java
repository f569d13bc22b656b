package org.spikeloop.signal.artifacts;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Spurious spike bursts on spike-count inputs (threshold crossings from a mechanical or electrical
 * transient, or a unit that starts to fire out of its tuning): during each burst, {@code
 * channelsPerBurst} channels chosen at random add Poisson counts of mean {@code burstHz}/rate per
 * frame. Burst onsets are a Poisson process ({@link Bursts}). Counts stay whole and non-negative.
 *
 * @param burstHz the spurious firing rate inside a burst, Hz
 * @param channelsPerBurst how many channels each burst hits
 * @param ratePerS bursts per second
 * @param durationS length of each burst, s
 * @param seed placement and count seed
 */
public record SpikeBursts(
        double burstHz, int channelsPerBurst, double ratePerS, double durationS, long seed)
        implements Artifact {
    public SpikeBursts {
        Artifact.nonNegative("burstHz", burstHz);
        Artifact.nonNegative("ratePerS", ratePerS);
        Artifact.nonNegative("durationS", durationS);
        if (channelsPerBurst < 1) {
            throw new IllegalArgumentException(
                    "channelsPerBurst must be >= 1, got " + channelsPerBurst);
        }
    }

    @Override
    public String name() {
        return "spike_burst";
    }

    @Override
    public String strength() {
        return String.format(
                Locale.ROOT,
                "%.3g-Hz spurious firing on %d channels in %.3g-s bursts at %.3g/s",
                burstHz,
                channelsPerBurst,
                durationS,
                ratePerS);
    }

    @Override
    public void apply(double[] x, int frames, int channels, double rateHz) {
        Artifact.checkShape(x, frames, channels, rateHz);
        if (channelsPerBurst > channels) {
            throw new IllegalArgumentException(
                    "channelsPerBurst "
                            + channelsPerBurst
                            + " exceeds the "
                            + channels
                            + " channels");
        }
        if (ratePerS == 0 || durationS == 0) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double mean = burstHz / rateHz;
        double limit = Math.exp(-mean);
        int len = Math.max(1, (int) Math.round(durationS * rateHz));
        double t = -Math.log(1 - rng.nextDouble()) / ratePerS;
        while (t * rateHz < frames) {
            int from = (int) (t * rateHz);
            int[] hit = new DeadChannels(channelsPerBurst, rng.nextLong()).chosen(channels);
            for (int f = from; f < Math.min(frames, from + len); f++) {
                for (int c : hit) {
                    x[f * channels + c] += poisson(rng, limit);
                }
            }
            t += -Math.log(1 - rng.nextDouble()) / ratePerS;
        }
    }

    /** Knuth's multiplication method; exact for the small means of per-frame counts. */
    private static int poisson(SplittableRandom rng, double limit) {
        int k = 0;
        double p = rng.nextDouble();
        while (p > limit) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }
}
