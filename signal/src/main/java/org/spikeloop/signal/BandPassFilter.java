package org.spikeloop.signal;

/**
 * Causal Butterworth band-pass for several channels: a high-pass and a low-pass Butterworth of the
 * given order, each a cascade of second-order sections designed by the bilinear transform with
 * frequency pre-warping (Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter
 * coefficients": ω₀ = 2πf₀/f_s, α = sin ω₀/(2Q); low-pass b = ((1 − cos ω₀)/2, 1 − cos ω₀, (1 − cos
 * ω₀)/2), high-pass b = ((1 + cos ω₀)/2, −(1 + cos ω₀), (1 + cos ω₀)/2), a = (1 + α, −2cos ω₀, 1 −
 * α)). Section k of an order-N Butterworth has Q_k = 1/(2·sin((2k − 1)π/(2N))), k = 1..N/2.
 * Sections run in transposed direct form II.
 *
 * <p>Single-threaded; {@link #filter} allocates nothing.
 */
public final class BandPassFilter {
    private final int channels;
    private final int sections;
    private final double[] b0;
    private final double[] b1;
    private final double[] b2;
    private final double[] a1;
    private final double[] a2;
    private final double[] z1; // [section * channels + c]
    private final double[] z2;

    /**
     * @param channels channels filtered per frame (&ge; 1)
     * @param lowHz high-pass corner (&gt; 0)
     * @param highHz low-pass corner (&gt; lowHz, &lt; Nyquist)
     * @param sampleRateHz f_s
     * @param order Butterworth order of each side (even, 2–8)
     */
    public BandPassFilter(
            int channels, double lowHz, double highHz, double sampleRateHz, int order) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (!(lowHz > 0 && highHz > lowHz && highHz < sampleRateHz / 2)) {
            throw new IllegalArgumentException(
                    "band-pass needs 0 < lowHz < highHz < sampleRateHz / 2, got "
                            + lowHz
                            + ", "
                            + highHz
                            + ", "
                            + sampleRateHz);
        }
        if (order < 2 || order > 8 || order % 2 != 0) {
            throw new IllegalArgumentException("order must be even in [2, 8], got " + order);
        }
        this.channels = channels;
        int half = order / 2;
        this.sections = 2 * half;
        b0 = new double[sections];
        b1 = new double[sections];
        b2 = new double[sections];
        a1 = new double[sections];
        a2 = new double[sections];
        for (int k = 0; k < half; k++) {
            double q = 1.0 / (2.0 * Math.sin((2 * k + 1) * Math.PI / (2.0 * order)));
            design(k, lowHz, sampleRateHz, q, true);
            design(half + k, highHz, sampleRateHz, q, false);
        }
        z1 = new double[sections * channels];
        z2 = new double[sections * channels];
    }

    private void design(int s, double cornerHz, double fs, double q, boolean highPass) {
        double w0 = 2 * Math.PI * cornerHz / fs;
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        double edge = highPass ? (1 + cos) / 2 : (1 - cos) / 2;
        b0[s] = edge / a0;
        b1[s] = (highPass ? -(1 + cos) : 1 - cos) / a0;
        b2[s] = edge / a0;
        a1[s] = -2 * cos / a0;
        a2[s] = (1 - alpha) / a0;
    }

    /**
     * Filters one frame in place.
     *
     * @param frame length &ge; channels, one sample per channel (modified)
     */
    public void filter(double[] frame) {
        for (int s = 0; s < sections; s++) {
            final double c0 = b0[s];
            final double c1 = b1[s];
            final double c2 = b2[s];
            final double d1 = a1[s];
            final double d2 = a2[s];
            int base = s * channels;
            for (int c = 0; c < channels; c++) {
                double x = frame[c];
                double y = c0 * x + z1[base + c];
                z1[base + c] = c1 * x - d1 * y + z2[base + c];
                z2[base + c] = c2 * x - d2 * y;
                frame[c] = y;
            }
        }
    }

    /** Clears the filter state. */
    public void reset() {
        java.util.Arrays.fill(z1, 0);
        java.util.Arrays.fill(z2, 0);
    }

    public int channels() {
        return channels;
    }
}
