package org.spikeloop.learn.optim;

import org.spikeloop.learn.bptt.Gradients;

/**
 * Clipping by global norm (Pascanu, Mikolov &amp; Bengio 2013, Algorithm 1): when ‖g‖₂ over all
 * parameters exceeds c, every gradient is scaled by c/‖g‖₂, keeping the direction.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * @param grads modified in place when clipped
     * @param maxNorm c &gt; 0
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(Gradients grads, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("training.clipNorm must be > 0, got " + maxNorm);
        }
        double norm = grads.globalNorm();
        if (norm > maxNorm) {
            grads.scale(maxNorm / norm);
        }
        return norm;
    }
}
