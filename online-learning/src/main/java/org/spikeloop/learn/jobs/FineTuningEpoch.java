package org.spikeloop.learn.jobs;

import java.util.function.BooleanSupplier;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingSettings;
import org.spikeloop.snn.params.NetworkParams;

/**
 * One epoch of a recipe's SG-BPTT fine-tuning, the schedule that {@link RegressionRecipe} and
 * {@link ClassificationRecipe} share: the learning rate on a cosine decay from η to η/20 over
 * {@code training.epochs} (Loshchilov &amp; Hutter 2017, SGDR without restarts), the sequences
 * shuffled with the epoch's seed and cut into mini-batches of {@code training.batchSize}, the
 * cancellation flag checked before each mini-batch.
 *
 * <p>Threading: the caller's thread (the trainer's workers inside each step). Allocates freely
 * (offline).
 */
final class FineTuningEpoch {
    private FineTuningEpoch() {}

    /**
     * Runs epoch {@code e} (0-based) and returns its mean mini-batch loss.
     *
     * @param params trained in place
     * @param sequences the training sequences (not modified)
     * @throws JobCancelledException when {@code cancelled} turns true
     */
    static double run(
            Trainer trainer,
            NetworkParams params,
            Batch sequences,
            TrainingSettings ts,
            int e,
            BooleanSupplier cancelled) {
        trainer.learningRateScale(0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * e / ts.epochs())));
        int n = sequences.size();
        int perEpoch = (n + ts.batchSize() - 1) / ts.batchSize();
        int[] order = Trainer.shuffled(n, ts.seed() + e);
        double sum = 0;
        for (int b = 0; b < perEpoch; b++) {
            JobCancelledException.throwIf(cancelled);
            int from = b * ts.batchSize();
            int[] rows = new int[Math.min(n, from + ts.batchSize()) - from];
            System.arraycopy(order, from, rows, 0, rows.length);
            sum += trainer.step(params, sequences.select(rows)).loss();
        }
        return sum / perEpoch;
    }
}
