package org.spikeloop.adapters.sim;

import java.util.SplittableRandom;

/**
 * Independent 1/f^α noise on several channels, each the weighted sum of first-order autoregressive
 * (Lorentzian) processes whose corner frequencies are spaced log-uniformly.
 *
 * <p>Why it works: an AR(1) process u_t = ρ u_{t−1} + √(1−ρ²) e_t with ρ = exp(−2π f_k / f_s) has
 * unit variance and a Lorentzian spectrum S_k(f) ∝ (1/f_k) / (1 + (f/f_k)²). Summing Lorentzians
 * with corners log-uniform in frequency and weights a_k² ∝ f_k^{1−α} gives S(f) ∝ f^{−α} for 0 &lt;
 * α &lt; 2 between the lowest corner and the Nyquist frequency (the classic superposition argument
 * for 1/f noise, e.g. Kasdin 1995, Proc. IEEE 83(5), sec. IV). Two corners per octave keep the
 * ripple below ±0.1 dB in the middle of the range.
 *
 * <p>Single-threaded; {@link #next} allocates nothing. Output has unit variance per channel.
 */
final class PinkNoiseBank {
    private static final double CORNERS_PER_OCTAVE = 2.0;

    private final int channels;
    private final int corners;
    private final double[] rho;
    private final double[] innovation;
    private final double[] weight;
    private final double[] state; // [channel * corners + k]
    private final SplittableRandom rng;

    /**
     * @param channels number of independent channels (&ge; 1)
     * @param exponent α in S(f) ∝ f^{−α}, in (0, 2)
     * @param sampleRateHz f_s
     * @param lowestHz lowest corner frequency; the spectrum flattens below it
     * @param rng source of the Gaussian innovations (owned by this bank afterwards)
     */
    PinkNoiseBank(
            int channels,
            double exponent,
            double sampleRateHz,
            double lowestHz,
            SplittableRandom rng) {
        this.channels = channels;
        double nyquistHz = sampleRateHz / 2.0;
        this.corners =
                1
                        + (int)
                                Math.ceil(
                                        CORNERS_PER_OCTAVE
                                                * Math.log(nyquistHz / lowestHz)
                                                / Math.log(2.0));
        this.rho = new double[corners];
        this.innovation = new double[corners];
        this.weight = new double[corners];
        double total = 0.0;
        for (int k = 0; k < corners; k++) {
            double cornerHz = lowestHz * Math.pow(2.0, k / CORNERS_PER_OCTAVE);
            rho[k] = Math.exp(-2.0 * Math.PI * cornerHz / sampleRateHz);
            innovation[k] = Math.sqrt(1.0 - rho[k] * rho[k]);
            weight[k] = Math.pow(cornerHz, (1.0 - exponent) / 2.0);
            total += weight[k] * weight[k];
        }
        double norm = 1.0 / Math.sqrt(total);
        for (int k = 0; k < corners; k++) {
            weight[k] *= norm;
        }
        this.state = new double[channels * corners];
        this.rng = rng;
        // Start in the stationary distribution so the first seconds are not special.
        for (int i = 0; i < state.length; i++) {
            state[i] = rng.nextGaussian();
        }
    }

    /**
     * Advances every channel one sample.
     *
     * @param out length &ge; channels, receives unit-variance samples (modified)
     */
    void next(double[] out) {
        final int n = corners;
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            double sum = 0.0;
            for (int k = 0; k < n; k++) {
                double u = rho[k] * state[base + k] + innovation[k] * rng.nextGaussian();
                state[base + k] = u;
                sum += weight[k] * u;
            }
            out[c] = sum;
        }
    }

    int channels() {
        return channels;
    }
}
