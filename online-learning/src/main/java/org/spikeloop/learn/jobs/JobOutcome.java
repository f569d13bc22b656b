package org.spikeloop.learn.jobs;

import java.util.List;

/**
 * What a finished training job produced (the best parameters are written into the caller's holder).
 *
 * @param trainLoss mean mini-batch loss per epoch
 * @param validationLoss held-out loss per epoch
 * @param validationR2 held-out causal R² per epoch
 * @param bestEpoch 1-based epoch whose parameters were kept
 * @param stoppedEarly whether early stopping ended the run before the maximum
 * @param initialScore held-out score of the starting parameters
 * @param finalScore held-out score of the kept parameters (predictions for the plot)
 * @param seconds wall time of training
 */
public record JobOutcome(
        List<Double> trainLoss,
        List<Double> validationLoss,
        List<Double> validationR2,
        int bestEpoch,
        boolean stoppedEarly,
        HeldOutScore initialScore,
        HeldOutScore finalScore,
        double seconds) {}
