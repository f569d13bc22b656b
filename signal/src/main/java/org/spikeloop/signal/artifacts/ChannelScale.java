package org.spikeloop.signal.artifacts;

/**
 * Each channel's standard deviation over a block, σ_c = sqrt(mean_f (x[f, c] − mean_f x[f, c])²):
 * the unit artifact amplitudes are given in. A constant channel has σ_c = 0 and gets no additive
 * artifact.
 */
public final class ChannelScale {
    private ChannelScale() {}

    /**
     * @param x row-major [frames, channels] (not modified)
     * @return σ per channel
     */
    public static double[] std(double[] x, int frames, int channels) {
        double[] mean = new double[channels];
        double[] sq = new double[channels];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                mean[c] += x[f * channels + c];
            }
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= frames;
        }
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                double d = x[f * channels + c] - mean[c];
                sq[c] += d * d;
            }
        }
        for (int c = 0; c < channels; c++) {
            sq[c] = Math.sqrt(sq[c] / frames);
        }
        return sq;
    }
}
