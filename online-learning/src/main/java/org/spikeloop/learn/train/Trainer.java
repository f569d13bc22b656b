package org.spikeloop.learn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.learn.optim.GradientClipping;
import org.spikeloop.learn.optim.Optimizer;
import org.spikeloop.snn.params.NetworkParams;

/**
 * Mini-batch SG-BPTT training: each epoch shuffles the samples (seeded: epoch e uses seed + e),
 * cuts them into batches of {@code batchSize} (the last may be smaller), and per batch computes the
 * gradient, clips it by global norm when configured, and applies the optimiser. Deterministic for a
 * fixed configuration, data and thread count. Owns its engine; not thread-safe.
 */
public final class Trainer implements AutoCloseable {
    private final JobConfig config;
    private final BpttEngine engine;
    private final List<ObjectiveTerm> terms;
    private final Optimizer optimizer;

    public Trainer(JobConfig config) {
        this.config = config;
        this.engine = new BpttEngine(new BpttNetwork(config.spec()), config.options());
        this.terms = config.objective();
        this.optimizer = config.training().newOptimizer();
    }

    /** The engine (for evaluation with the trained parameters). */
    public BpttEngine engine() {
        return engine;
    }

    /**
     * Scales the learning rate of the following steps (see {@link Optimizer#learningRateScale}).
     */
    public void learningRateScale(double scale) {
        optimizer.learningRateScale(scale);
    }

    /** The objective terms. */
    public List<ObjectiveTerm> terms() {
        return terms;
    }

    /**
     * Trains {@code params} in place on {@code data}.
     *
     * @param listener told about every step (may be a no-op)
     */
    public TrainingReport train(NetworkParams params, Batch data, TrainingListener listener) {
        TrainingSettings s = config.training();
        int n = data.size();
        int perEpoch = (n + s.batchSize() - 1) / s.batchSize();
        int total = perEpoch * s.epochs();
        List<Double> stepLoss = new ArrayList<>();
        List<Double> epochLoss = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        long t0 = System.nanoTime();
        long peak = 0;
        Map<String, Double> rates = Map.of();
        int it = 0;
        for (int e = 0; e < s.epochs(); e++) {
            int[] order = shuffled(n, s.seed() + e);
            double sum = 0.0;
            for (int k = 0; k < perEpoch; k++) {
                int from = k * s.batchSize();
                int to = Math.min(n, from + s.batchSize());
                int[] rows = new int[to - from];
                System.arraycopy(order, from, rows, 0, rows.length);
                Batch batch = n == rows.length && isIdentity(rows) ? data : data.select(rows);
                GradientResult r = step(params, batch);
                stepLoss.add(r.loss());
                norms.add(lastNorm);
                sum += r.loss();
                peak = Math.max(peak, r.trajectoryBytes());
                rates = r.meanRateHz();
                it++;
                listener.onStep(it, total, e + 1, r.loss(), System.nanoTime() - t0);
            }
            epochLoss.add(sum / perEpoch);
        }
        return new TrainingReport(
                stepLoss,
                epochLoss,
                norms,
                (System.nanoTime() - t0) / 1e9,
                peak,
                engine.options().threads(),
                rates);
    }

    private double lastNorm;

    /** One optimisation step on {@code batch}; returns the gradient evaluation before it. */
    public GradientResult step(NetworkParams params, Batch batch) {
        GradientResult r = engine.compute(params, batch, terms);
        if (!r.gradients().allFinite() || !Double.isFinite(r.loss())) {
            throw new IllegalStateException(
                    "non-finite loss or gradient (loss "
                            + r.loss()
                            + "); lower the learning rate"
                            + " or enable training.clipNorm");
        }
        double clip = config.training().clipNorm();
        lastNorm =
                clip > 0
                        ? GradientClipping.clipGlobalNorm(r.gradients(), clip)
                        : r.gradients().globalNorm();
        optimizer.step(params, r.gradients(), config.training().freeze());
        return r;
    }

    private static boolean isIdentity(int[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Fisher–Yates with a seeded generator (the epoch order of every trainer). */
    public static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    @Override
    public void close() {
        engine.close();
    }
}
