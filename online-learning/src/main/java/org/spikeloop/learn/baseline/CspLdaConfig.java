package org.spikeloop.learn.baseline;

/**
 * Parameters of the CSP + LDA classifier.
 *
 * @param lowHz band-pass low corner (default 8, the bottom of mu)
 * @param highHz band-pass high corner (default 30, the top of beta)
 * @param order Butterworth order of each side (even, 2–8; default 4)
 * @param pairs CSP filters kept from each end (default 3)
 * @param windowStartS training epoch start after the cue (&ge; 0; default 0.5 s, past the ERD
 *     onset)
 * @param windowS epoch and sliding-window length (&gt; 0; default 2 s)
 * @param shrinkage LDA covariance shrinkage γ in [0, 1] (default 0.05)
 */
public record CspLdaConfig(
        double lowHz,
        double highHz,
        int order,
        int pairs,
        double windowStartS,
        double windowS,
        double shrinkage) {

    public CspLdaConfig {
        if (!(windowStartS >= 0) || !Double.isFinite(windowStartS)) {
            throw new IllegalArgumentException(
                    "windowStartS must be finite and >= 0, got " + windowStartS);
        }
        if (!(windowS > 0) || !Double.isFinite(windowS)) {
            throw new IllegalArgumentException("windowS must be finite and > 0, got " + windowS);
        }
    }

    /** 8–30 Hz, order 4, 3 pairs, epochs 0.5–2.5 s after the cue, γ = 0.05. */
    public static CspLdaConfig defaults() {
        return new CspLdaConfig(8, 30, 4, 3, 0.5, 2.0, 0.05);
    }
}
