package org.spikeloop.adapters.sim;

import java.util.SplittableRandom;

/**
 * A stochastic cortical rhythm: white noise through a two-pole resonator, x_t = 2r·cos(ω)·x_{t−1} −
 * r²·x_{t−2} + σ·e_t with ω = 2π f₀/f_s and r = exp(−π·B/f_s), so the spectrum peaks at f₀ with a
 * −3 dB bandwidth of about B Hz and amplitude and phase wander as in real mu and beta rhythms (the
 * AR(2) model of EEG rhythms, e.g. Franaszczuk &amp; Blinowska 1985). σ is chosen from the AR(2)
 * variance γ₀ = σ²(1 − a₂)/((1 + a₂)((1 − a₂)² − a₁²)) (Box &amp; Jenkins, eq. 3.2.27) with a₁ =
 * 2r·cos ω, a₂ = −r², so the output has unit variance.
 *
 * <p>Single-threaded; {@link #next} allocates nothing.
 */
final class NarrowbandRhythm {
    private final double a1;
    private final double a2;
    private final double sigma;
    private double x1;
    private double x2;

    /**
     * @param centreHz f₀, in (0, f_s/2)
     * @param bandwidthHz B &gt; 0
     * @param sampleRateHz f_s
     */
    NarrowbandRhythm(double centreHz, double bandwidthHz, double sampleRateHz) {
        double r = Math.exp(-Math.PI * bandwidthHz / sampleRateHz);
        double omega = 2.0 * Math.PI * centreHz / sampleRateHz;
        this.a1 = 2.0 * r * Math.cos(omega);
        this.a2 = -r * r;
        double gamma0 = (1.0 - a2) / ((1.0 + a2) * ((1.0 - a2) * (1.0 - a2) - a1 * a1));
        this.sigma = 1.0 / Math.sqrt(gamma0);
    }

    /** The next unit-variance sample, drawing one innovation from {@code rng}. */
    double next(SplittableRandom rng) {
        double x = a1 * x1 + a2 * x2 + sigma * rng.nextGaussian();
        x2 = x1;
        x1 = x;
        return x;
    }
}
