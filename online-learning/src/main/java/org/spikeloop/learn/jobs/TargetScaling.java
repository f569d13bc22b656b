package org.spikeloop.learn.jobs;

import java.util.Arrays;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;

/**
 * Per-output standardisation of regression targets, y' = (y − μ)/σ, and its inverse folded into a
 * leaky readout so that the trained checkpoint speaks the recording's units again.
 *
 * <p>Why: targets recorded in physical units can be tiny (hand velocity in m/s has σ ≈ 0.08), so
 * {@code readout_mse} on raw targets makes losses and gradients hundreds of times smaller than the
 * optimiser's step assumes and the readout barely moves; on unit-variance targets every output
 * counts equally in the loss and one learning rate fits every recording.
 *
 * <p>The fold is exact for the leaky readout y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b) (Bellec et al.
 * 2020, eq. 4 with a bias): it is linear in (W, b), so with W = diag(σ)·W' and b = σ⊙b' + μ the
 * readout of the folded network equals σ⊙y'_t + μ up to the start-up term μ·κ^t, which decays with
 * τ_out.
 *
 * <p>Immutable; control plane (allocates).
 *
 * @param mean μ per output
 * @param scale σ per output (&gt; 0)
 */
public record TargetScaling(double[] mean, double[] scale) {
    /** Outputs whose standard deviation is below this (relative to max(1, |μ|)) are constant. */
    static final double CONSTANT_RELATIVE_STD = 1e-9;

    public TargetScaling {
        mean = mean.clone();
        scale = scale.clone();
    }

    /**
     * Mean and standard deviation of each output over {@code s}.
     *
     * @throws IllegalArgumentException when an output is constant (nothing to learn), naming it
     */
    public static TargetScaling fit(LabelledSequence s) {
        int o = s.outputs();
        int t = s.frames();
        double[] y = s.y();
        double[] mean = new double[o];
        double[] m2 = new double[o];
        for (int f = 0; f < t; f++) { // Welford's update, stable for long recordings
            for (int k = 0; k < o; k++) {
                double v = y[f * o + k];
                double d = v - mean[k];
                mean[k] += d / (f + 1);
                m2[k] += d * (v - mean[k]);
            }
        }
        double[] scale = new double[o];
        for (int k = 0; k < o; k++) {
            scale[k] = Math.sqrt(m2[k] / Math.max(1, t));
            if (!(scale[k] > CONSTANT_RELATIVE_STD * Math.max(1.0, Math.abs(mean[k])))) {
                throw new IllegalArgumentException(
                        "targets: output "
                                + k
                                + " is constant ("
                                + mean[k]
                                + ") over the "
                                + t
                                + " training frames; there is nothing to learn");
            }
        }
        return new TargetScaling(mean, scale);
    }

    /** The same frames with standardised targets (a new sequence; {@code s} not modified). */
    public LabelledSequence apply(LabelledSequence s) {
        int o = s.outputs();
        double[] y = Arrays.copyOf(s.y(), s.y().length);
        for (int i = 0; i < y.length; i++) {
            int k = i % o;
            y[i] = (y[i] - mean[k]) / scale[k];
        }
        return new LabelledSequence(s.x(), y, s.stampsS(), s.channels(), o);
    }

    /**
     * Folds the inverse scaling into a leaky readout trained on standardised targets: W ←
     * diag(σ)·W, b ← σ⊙b + μ.
     *
     * @param params modified in place ({@code readout.w_out} [O, H], {@code readout.bias} [O])
     */
    public void foldIntoReadout(NetworkParams params) {
        double[] w = params.get(ParameterNames.READOUT_WEIGHT).data();
        double[] b = params.get(ParameterNames.READOUT_BIAS).data();
        int o = b.length;
        int h = w.length / o;
        for (int k = 0; k < o; k++) {
            for (int j = 0; j < h; j++) {
                w[k * h + j] *= scale[k];
            }
            b[k] = scale[k] * b[k] + mean[k];
        }
    }

    /** The inverse of {@link #foldIntoReadout}, to continue training a folded network. */
    public void unfoldFromReadout(NetworkParams params) {
        double[] w = params.get(ParameterNames.READOUT_WEIGHT).data();
        double[] b = params.get(ParameterNames.READOUT_BIAS).data();
        int o = b.length;
        int h = w.length / o;
        for (int k = 0; k < o; k++) {
            for (int j = 0; j < h; j++) {
                w[k * h + j] /= scale[k];
            }
            b[k] = (b[k] - mean[k]) / scale[k];
        }
    }
}
