package org.spikeloop.learn.jobs;

/**
 * One finished epoch of a training job.
 *
 * @param epoch 1-based epoch just finished
 * @param maxEpochs the configured maximum
 * @param trainLoss mean mini-batch objective over the epoch
 * @param validationLoss the inner validation part's loss after the epoch (a regression job's MSE in
 *     σ² units, a classification job's mean cross-entropy)
 * @param validationR2 causal R² on the inner validation part after the epoch (regression; NaN for
 *     classification)
 * @param bestEpoch epoch with the lowest validation loss so far
 * @param elapsedS seconds since training started
 * @param etaS estimated seconds to {@code maxEpochs} (an upper bound: early stopping may end
 *     sooner)
 * @param validationAccuracy the inner validation trials' accuracy after the epoch (classification;
 *     NaN for regression)
 */
public record JobProgress(
        int epoch,
        int maxEpochs,
        double trainLoss,
        double validationLoss,
        double validationR2,
        int bestEpoch,
        double elapsedS,
        double etaS,
        double validationAccuracy) {

    /** A regression job's epoch (no accuracy). */
    public JobProgress(
            int epoch,
            int maxEpochs,
            double trainLoss,
            double validationLoss,
            double validationR2,
            int bestEpoch,
            double elapsedS,
            double etaS) {
        this(
                epoch,
                maxEpochs,
                trainLoss,
                validationLoss,
                validationR2,
                bestEpoch,
                elapsedS,
                etaS,
                Double.NaN);
    }
}
