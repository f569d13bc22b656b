package org.spikeloop.signal.artifacts;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Mains interference: x[f, c] += A·σ_c·sin(2π·F·f/rate + φ_c) on every channel, φ_c ~ U(0, 2π)
 * drawn from the seed (the coupling differs per lead). Meant for data sampled above 2F; below, the
 * sinusoid aliases as it would in an unfiltered recording.
 *
 * @param frequencyHz F (50 in Europe, 60 in the Americas)
 * @param amplitudeSd A, in units of the channel's σ
 * @param seed phase seed
 */
public record LineNoise(double frequencyHz, double amplitudeSd, long seed) implements Artifact {
    public LineNoise {
        if (!(frequencyHz > 0) || Double.isInfinite(frequencyHz)) {
            throw new IllegalArgumentException(
                    "frequencyHz must be finite and > 0, got " + frequencyHz);
        }
        Artifact.nonNegative("amplitudeSd", amplitudeSd);
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "line%.0f", frequencyHz);
    }

    @Override
    public String strength() {
        return String.format(
                Locale.ROOT,
                "%.3g σ sinusoid at %.3g Hz on every channel",
                amplitudeSd,
                frequencyHz);
    }

    @Override
    public void apply(double[] x, int frames, int channels, double rateHz) {
        Artifact.checkShape(x, frames, channels, rateHz);
        double[] sd = ChannelScale.std(x, frames, channels);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] phase = new double[channels];
        for (int c = 0; c < channels; c++) {
            phase[c] = 2 * Math.PI * rng.nextDouble();
        }
        double w = 2 * Math.PI * frequencyHz / rateHz;
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                x[f * channels + c] += amplitudeSd * sd[c] * Math.sin(w * f + phase[c]);
            }
        }
    }
}
