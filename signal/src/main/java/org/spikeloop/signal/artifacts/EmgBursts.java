package org.spikeloop.signal.artifacts;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * EMG-like contamination: bursts of broadband (white, up to the Nyquist frequency) Gaussian noise
 * on every channel, x[f, c] += A·g_c·σ_c·n[f, c] with n ~ N(0, 1) while a burst covers frame f, g_c
 * ~ U(0.5, 1.5) a per-channel gain (muscle activity reaches electrodes unequally) drawn once. Burst
 * onsets are a Poisson process ({@link Bursts}).
 *
 * @param amplitudeSd A, in units of the channel's σ
 * @param ratePerS bursts per second
 * @param durationS length of each burst, s
 * @param seed placement and noise seed
 */
public record EmgBursts(double amplitudeSd, double ratePerS, double durationS, long seed)
        implements Artifact {
    public EmgBursts {
        Artifact.nonNegative("amplitudeSd", amplitudeSd);
        Artifact.nonNegative("ratePerS", ratePerS);
        Artifact.nonNegative("durationS", durationS);
    }

    @Override
    public String name() {
        return "emg";
    }

    @Override
    public String strength() {
        return String.format(
                Locale.ROOT,
                "%.3g σ broadband noise in %.3g-s bursts at %.3g/s on every channel",
                amplitudeSd,
                durationS,
                ratePerS);
    }

    @Override
    public void apply(double[] x, int frames, int channels, double rateHz) {
        Artifact.checkShape(x, frames, channels, rateHz);
        double[] sd = ChannelScale.std(x, frames, channels);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] gain = new double[channels];
        for (int c = 0; c < channels; c++) {
            gain[c] = amplitudeSd * (0.5 + rng.nextDouble()) * sd[c];
        }
        boolean[] on = Bursts.mask(frames, rateHz, ratePerS, durationS, rng);
        for (int f = 0; f < frames; f++) {
            if (on[f]) {
                for (int c = 0; c < channels; c++) {
                    x[f * channels + c] += gain[c] * Gaussian.next(rng);
                }
            }
        }
    }
}
