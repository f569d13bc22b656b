package org.spikeloop.learn.train;

import java.util.Set;
import org.spikeloop.learn.optim.Adam;
import org.spikeloop.learn.optim.Optimizer;
import org.spikeloop.learn.optim.Sgd;

/**
 * Optimiser and schedule of a training job (see {@link JobConfig} for the JSON and defaults).
 *
 * @param optimizer {@code adam} or {@code sgd}
 * @param clipNorm global-norm clipping threshold; 0 disables clipping
 * @param seed seeds the epoch shuffles
 * @param freeze parameter names left unchanged
 */
public record TrainingSettings(
        String optimizer,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double momentum,
        int epochs,
        int batchSize,
        double clipNorm,
        long seed,
        Set<String> freeze) {

    public TrainingSettings {
        freeze = Set.copyOf(freeze);
    }

    /** A fresh optimiser as configured. */
    public Optimizer newOptimizer() {
        return optimizer.equals("sgd")
                ? new Sgd(learningRate, momentum)
                : new Adam(learningRate, beta1, beta2, epsilon);
    }
}
