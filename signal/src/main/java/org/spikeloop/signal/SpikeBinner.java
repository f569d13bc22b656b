package org.spikeloop.signal;

import java.util.Arrays;

/**
 * Spike or event streams to counts per decoder time step: sums {@code k = inputRateHz · dtS} input
 * frames of per-channel counts (0/1 events or already-counted spikes) and emits the sums, n_c[j] =
 * Σ_{i=jk}^{jk+k−1} x_c[i], once every k frames. k must be a whole number, so bins never straddle
 * samples.
 *
 * <p>Single-threaded; {@link #accept} allocates nothing.
 */
public final class SpikeBinner implements FrontEnd {
    private final int channels;
    private final double inputRateHz;
    private final int samplesPerBin;
    private final float[] counts;
    private int filled;

    /**
     * @param channels units or event channels (&ge; 1)
     * @param inputRateHz stream rate (&gt; 0)
     * @param dtS the decoder's step in seconds; {@code inputRateHz · dtS} must be a whole number
     *     &ge; 1
     */
    public SpikeBinner(int channels, double inputRateHz, double dtS) {
        Rates.requireChannels("channels", channels);
        Rates.requirePositive("dtS", dtS);
        this.channels = channels;
        this.inputRateHz = inputRateHz;
        this.samplesPerBin = Rates.decimation("1 / dtS", inputRateHz, 1.0 / dtS);
        this.counts = new float[channels];
    }

    @Override
    public boolean accept(float[] sample, float[] out) {
        final int ch = channels;
        final float[] sums = counts;
        for (int c = 0; c < ch; c++) {
            sums[c] += sample[c];
        }
        if (++filled < samplesPerBin) {
            return false;
        }
        System.arraycopy(sums, 0, out, 0, ch);
        Arrays.fill(sums, 0f);
        filled = 0;
        return true;
    }

    @Override
    public void reset() {
        Arrays.fill(counts, 0f);
        filled = 0;
    }

    @Override
    public int inputChannels() {
        return channels;
    }

    @Override
    public int outputChannels() {
        return channels;
    }

    @Override
    public double inputRateHz() {
        return inputRateHz;
    }

    @Override
    public int decimation() {
        return samplesPerBin;
    }
}
