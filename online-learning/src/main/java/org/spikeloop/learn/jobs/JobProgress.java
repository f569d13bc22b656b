package org.spikeloop.learn.jobs;

/**
 * One finished epoch of a training job.
 *
 * @param epoch 1-based epoch just finished
 * @param maxEpochs the configured maximum
 * @param trainLoss mean mini-batch objective over the epoch
 * @param validationLoss objective on the held-out windows after the epoch
 * @param validationR2 causal R² on the held-out sequence after the epoch
 * @param bestEpoch epoch with the lowest validation loss so far
 * @param elapsedS seconds since training started
 * @param etaS estimated seconds to {@code maxEpochs} (an upper bound: early stopping may end
 *     sooner)
 */
public record JobProgress(
        int epoch,
        int maxEpochs,
        double trainLoss,
        double validationLoss,
        double validationR2,
        int bestEpoch,
        double elapsedS,
        double etaS) {}
