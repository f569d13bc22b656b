package org.spikeloop.signal.artifacts;

/**
 * One kind of corruption of a data block, at a stated strength. Implementations are immutable
 * values; {@link #apply} is deterministic (random placements come from the artifact's seed).
 */
public interface Artifact {
    /** A short key ({@code emg}, {@code pop}, {@code line50}, ...), used in reports. */
    String name();

    /** The strength in words, with units (e.g. {@code 3 σ white noise, 0.2-s bursts at 0.5/s}). */
    String strength();

    /**
     * Corrupts the block in place.
     *
     * @param x row-major [frames, channels] (modified)
     * @param frames the number of frames
     * @param channels the number of channels
     * @param rateHz the frame rate
     * @throws IllegalArgumentException when the shape does not match {@code x}
     */
    void apply(double[] x, int frames, int channels, double rateHz);

    /** Checks a block's shape; every implementation calls it first. */
    static void checkShape(double[] x, int frames, int channels, double rateHz) {
        if (frames < 1 || channels < 1 || (long) frames * channels != x.length) {
            throw new IllegalArgumentException(
                    "block of "
                            + x.length
                            + " values is not "
                            + frames
                            + " frames × "
                            + channels
                            + " channels");
        }
        if (!(rateHz > 0) || Double.isInfinite(rateHz)) {
            throw new IllegalArgumentException("rateHz must be finite and > 0, got " + rateHz);
        }
    }

    /** Refuses a negative or non-finite strength parameter, naming it. */
    static double nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
        return v;
    }
}
