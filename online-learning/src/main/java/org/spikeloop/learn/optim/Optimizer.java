package org.spikeloop.learn.optim;

import java.util.Set;
import org.spikeloop.learn.bptt.Gradients;
import org.spikeloop.snn.params.NetworkParams;

/** Updates parameters in place from their gradients. Not thread-safe; owns its state (moments). */
public interface Optimizer {
    /**
     * One update p ← p − step(g) for every parameter not in {@code frozen}; recurrent diagonals
     * stay zero because their gradient is zero.
     *
     * @param params modified in place
     * @param grads not modified
     * @param frozen names of parameters to leave unchanged
     */
    void step(NetworkParams params, Gradients grads, Set<String> frozen);

    /**
     * Multiplies the configured learning rate by {@code scale} for the following steps (a schedule
     * sets it between epochs); 1 restores the configured rate. Moments are kept.
     *
     * @throws IllegalArgumentException unless 0 &lt; scale &le; 1
     */
    void learningRateScale(double scale);

    /** Checks a {@link #learningRateScale} argument. */
    static double requireScale(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException(
                    "learning-rate scale must be in (0, 1], got " + scale);
        }
        return scale;
    }
}
