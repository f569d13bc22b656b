package org.spikeloop.signal.artifacts;

import java.util.Locale;

/**
 * A given additive perturbation, x += δ, with its bound stated: for a perturbation crafted
 * elsewhere (an FGSM step through a decoder's surrogate gradient, δ = ε·σ_c·sign(∂L/∂x)) and
 * applied unchanged to every decoder. Optionally clamps the result at zero (spike counts cannot be
 * negative; clamping only shrinks |δ|, so the bound still holds).
 *
 * @param name the report key ({@code fgsm})
 * @param delta row-major [frames, channels], the block's shape (not copied; not modified)
 * @param linfSd the L∞ bound of δ in units of each channel's σ, as stated by its maker
 * @param clampAtZero whether to clamp x + δ at zero
 */
public record AddedPerturbation(String name, double[] delta, double linfSd, boolean clampAtZero)
        implements Artifact {
    @Override
    public String strength() {
        return String.format(
                Locale.ROOT,
                "|δ| ≤ %.3g σ per value (L∞)%s",
                linfSd,
                clampAtZero ? ", clamped at zero" : "");
    }

    @Override
    public void apply(double[] x, int frames, int channels, double rateHz) {
        Artifact.checkShape(x, frames, channels, rateHz);
        if (delta.length != x.length) {
            throw new IllegalArgumentException(
                    "perturbation has " + delta.length + " values for a block of " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i] + delta[i];
            x[i] = clampAtZero && v < 0 ? 0.0 : v;
        }
    }
}
