package org.spikeloop.learn.train;

import java.util.List;
import java.util.Map;

/**
 * What a training run did.
 *
 * @param stepLoss objective per optimisation step (mini-batch, before the step)
 * @param epochLoss mean step loss per epoch
 * @param gradientNorm global gradient norm per step (before clipping)
 * @param seconds wall time
 * @param trajectoryBytes peak bytes of the stored trajectory
 * @param threads worker threads
 * @param meanRateHz firing rate per population on the last mini-batch
 */
public record TrainingReport(
        List<Double> stepLoss,
        List<Double> epochLoss,
        List<Double> gradientNorm,
        double seconds,
        long trajectoryBytes,
        int threads,
        Map<String, Double> meanRateHz) {}
