package org.spikeloop.signal.artifacts;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Dead channels: {@code count} channels, chosen uniformly without replacement from the seed, read
 * zero for the whole block (a broken lead or a disconnected electrode: no signal, no spikes).
 *
 * @param count how many channels die (at most the block's channels)
 * @param seed choice seed
 */
public record DeadChannels(int count, long seed) implements Artifact {
    public DeadChannels {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }

    @Override
    public String name() {
        return "dead_channel";
    }

    @Override
    public String strength() {
        return String.format(
                Locale.ROOT, "%d channel%s flat at zero", count, count == 1 ? "" : "s");
    }

    /** The channels that die in a block of {@code channels} (a partial Fisher–Yates shuffle). */
    public int[] chosen(int channels) {
        if (count > channels) {
            throw new IllegalArgumentException(
                    "cannot kill " + count + " of " + channels + " channels");
        }
        int[] order = new int[channels];
        for (int c = 0; c < channels; c++) {
            order[c] = c;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(channels - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return java.util.Arrays.copyOf(order, count);
    }

    @Override
    public void apply(double[] x, int frames, int channels, double rateHz) {
        Artifact.checkShape(x, frames, channels, rateHz);
        for (int c : chosen(channels)) {
            for (int f = 0; f < frames; f++) {
                x[f * channels + c] = 0.0;
            }
        }
    }
}
