package org.spikeloop.learn.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingSettings;
import org.spikeloop.snn.params.NetworkParams;

/**
 * SG-BPTT training with a time-based validation split and early stopping: each epoch shuffles the
 * training windows (seeded: epoch e uses {@code training.seed + e}), takes one {@link Trainer#step}
 * per mini-batch, then evaluates the objective on the held-out windows and the causal R² on the
 * held-out sequence. The parameters of the epoch with the lowest validation loss are kept; the run
 * stops after {@code training.epochs} epochs or {@link EarlyStopping#patience()} epochs without
 * improvement, whichever is first. Cancellation is checked between mini-batches.
 *
 * <p>Threading: runs on the caller's thread (a background job thread); uses {@code options.threads}
 * BPTT worker threads. Allocates freely (offline).
 */
public final class EarlyStoppingTrainer {
    private EarlyStoppingTrainer() {}

    /**
     * Trains {@code params} in place; on return they hold the best epoch's values.
     *
     * @param train training windows
     * @param validation held-out windows (objective)
     * @param heldOut the held-out continuous sequence (causal score and plot)
     * @throws JobCancelledException when {@code cancelled} turns true (params then undefined)
     * @throws IllegalStateException when the loss or gradient becomes non-finite
     */
    public static JobOutcome run(
            JobConfig config,
            NetworkParams params,
            Batch train,
            Batch validation,
            LabelledSequence heldOut,
            EarlyStopping stopping,
            JobProgressListener listener,
            BooleanSupplier cancelled) {
        TrainingSettings s = config.training();
        long t0 = System.nanoTime();
        List<Double> trainLoss = new ArrayList<>();
        List<Double> valLoss = new ArrayList<>();
        List<Double> valR2 = new ArrayList<>();
        HeldOutScore initial = HeldOutEvaluation.score(config.spec(), params, heldOut);
        NetworkParams best = params.copy();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean early = false;
        try (Trainer trainer = new Trainer(config)) {
            int n = train.size();
            int perEpoch = (n + s.batchSize() - 1) / s.batchSize();
            for (int e = 0; e < s.epochs(); e++) {
                int[] order = Trainer.shuffled(n, s.seed() + e);
                double sum = 0;
                for (int k = 0; k < perEpoch; k++) {
                    if (cancelled.getAsBoolean()) {
                        throw new JobCancelledException(
                                "cancelled in epoch " + (e + 1) + " of " + s.epochs());
                    }
                    int from = k * s.batchSize();
                    int to = Math.min(n, from + s.batchSize());
                    int[] rows = new int[to - from];
                    System.arraycopy(order, from, rows, 0, rows.length);
                    sum += trainer.step(params, train.select(rows)).loss();
                }
                double vl = trainer.engine().compute(params, validation, trainer.terms()).loss();
                double r2 = HeldOutEvaluation.score(config.spec(), params, heldOut).r2();
                trainLoss.add(sum / perEpoch);
                valLoss.add(vl);
                valR2.add(r2);
                if (vl < bestLoss - stopping.minDelta()) {
                    bestLoss = vl;
                    bestEpoch = e + 1;
                    best = params.copy();
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                double elapsedS = (System.nanoTime() - t0) / 1e9;
                double etaS = elapsedS / (e + 1) * (s.epochs() - e - 1);
                listener.onEpoch(
                        new JobProgress(
                                e + 1,
                                s.epochs(),
                                sum / perEpoch,
                                vl,
                                r2,
                                bestEpoch,
                                elapsedS,
                                etaS));
                if (sinceBest >= stopping.patience() && e + 1 < s.epochs()) {
                    early = true;
                    break;
                }
            }
        }
        copyInto(best, params);
        HeldOutScore fin = HeldOutEvaluation.score(config.spec(), params, heldOut);
        return new JobOutcome(
                trainLoss,
                valLoss,
                valR2,
                bestEpoch,
                early,
                initial,
                fin,
                (System.nanoTime() - t0) / 1e9);
    }

    private static void copyInto(NetworkParams from, NetworkParams to) {
        for (String name : from.names()) {
            double[] src = from.get(name).data();
            System.arraycopy(src, 0, to.get(name).data(), 0, src.length);
        }
    }
}
