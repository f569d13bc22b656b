package org.spikeloop.signal.artifacts;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Electrode "pops": a sudden step on one channel that recovers exponentially as the electrode's
 * double layer recharges, x[f, c] += s·A·σ_c·exp(−(f − f₀)/(τ·rate)) for f ≥ f₀ (summed over pops),
 * with the channel c uniform, the sign s = ±1 equally likely and onsets f₀ a Poisson process of
 * {@code ratePerS}. The step is added until it has decayed below 1 % (5 τ).
 *
 * @param amplitudeSd A, in units of the channel's σ
 * @param ratePerS pops per second (over all channels)
 * @param recoveryS τ, the recovery time constant, s
 * @param seed placement seed
 */
public record ElectrodePops(double amplitudeSd, double ratePerS, double recoveryS, long seed)
        implements Artifact {
    public ElectrodePops {
        Artifact.nonNegative("amplitudeSd", amplitudeSd);
        Artifact.nonNegative("ratePerS", ratePerS);
        if (!(recoveryS > 0) || Double.isInfinite(recoveryS)) {
            throw new IllegalArgumentException(
                    "recoveryS must be finite and > 0, got " + recoveryS);
        }
    }

    @Override
    public String name() {
        return "pop";
    }

    @Override
    public String strength() {
        return String.format(
                Locale.ROOT,
                "%.3g σ steps recovering with τ = %.3g s, %.3g/s on random channels",
                amplitudeSd,
                recoveryS,
                ratePerS);
    }

    @Override
    public void apply(double[] x, int frames, int channels, double rateHz) {
        Artifact.checkShape(x, frames, channels, rateHz);
        if (ratePerS == 0) {
            return;
        }
        double[] sd = ChannelScale.std(x, frames, channels);
        SplittableRandom rng = new SplittableRandom(seed);
        double tauFrames = recoveryS * rateHz;
        int span = (int) Math.ceil(5 * tauFrames);
        double t = -Math.log(1 - rng.nextDouble()) / ratePerS;
        while (t * rateHz < frames) {
            int f0 = (int) (t * rateHz);
            int c = rng.nextInt(channels);
            double a = (rng.nextBoolean() ? 1 : -1) * amplitudeSd * sd[c];
            for (int f = f0; f < Math.min(frames, f0 + span + 1); f++) {
                x[f * channels + c] += a * Math.exp(-(f - f0) / tauFrames);
            }
            t += -Math.log(1 - rng.nextDouble()) / ratePerS;
        }
    }
}
