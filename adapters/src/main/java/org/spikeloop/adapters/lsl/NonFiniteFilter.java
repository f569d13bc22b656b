package org.spikeloop.adapters.lsl;

/**
 * Removes samples that hold NaN or ±Inf from a row-major chunk, in place and in order, and counts
 * them, so non-finite values never reach a decoder or the network. Allocation-free; owned by one
 * thread; counters may be read from others (plain longs: a slightly stale read is acceptable).
 */
public final class NonFiniteFilter {
    private final int channels;
    private long samplesRemoved;
    private long valuesNonFinite;

    public NonFiniteFilter(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels: must be >= 1, got " + channels);
        }
        this.channels = channels;
    }

    /**
     * Compacts {@code samples} samples of {@code data} (modified) and {@code timestamps} (modified)
     * so that the finite ones come first; returns how many remain.
     */
    public int compact(float[] data, double[] timestamps, int samples) {
        final int ch = channels;
        int kept = 0;
        for (int s = 0; s < samples; s++) {
            int base = s * ch;
            int bad = countNonFinite(data, base, ch);
            if (bad > 0) {
                samplesRemoved++;
                valuesNonFinite += bad;
                continue;
            }
            if (kept != s) {
                System.arraycopy(data, base, data, kept * ch, ch);
                timestamps[kept] = timestamps[s];
            }
            kept++;
        }
        return kept;
    }

    /** {@link #compact(float[], double[], int)} for double samples. */
    public int compact(double[] data, double[] timestamps, int samples) {
        final int ch = channels;
        int kept = 0;
        for (int s = 0; s < samples; s++) {
            int base = s * ch;
            int bad = 0;
            for (int c = 0; c < ch; c++) {
                if (!Double.isFinite(data[base + c])) {
                    bad++;
                }
            }
            if (bad > 0) {
                samplesRemoved++;
                valuesNonFinite += bad;
                continue;
            }
            if (kept != s) {
                System.arraycopy(data, base, data, kept * ch, ch);
                timestamps[kept] = timestamps[s];
            }
            kept++;
        }
        return kept;
    }

    /** How many of {@code data[offset .. offset + length)} are NaN or infinite (not modified). */
    public static int countNonFinite(float[] data, int offset, int length) {
        int bad = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!Float.isFinite(data[i])) {
                bad++;
            }
        }
        return bad;
    }

    /** Samples removed because at least one of their values was NaN or infinite. */
    public long samplesRemoved() {
        return samplesRemoved;
    }

    /** Individual NaN/Inf values seen in the removed samples. */
    public long valuesNonFinite() {
        return valuesNonFinite;
    }
}
