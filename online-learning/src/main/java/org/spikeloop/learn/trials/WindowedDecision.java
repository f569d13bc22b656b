package org.spikeloop.learn.trials;

import java.util.Arrays;

/**
 * The decision of a classification readout over one trial window: the readout y_t (one value per
 * class) is aggregated over the window's n frames into the window's logits ℓ, the class
 * probabilities are π = softmax(ℓ + δ) with per-class offsets δ (zero unless set, e.g. from {@link
 * ClassBiasCalibration}), and the decision is arg-max π (the lowest index on a tie) at the window's
 * end. Training jobs score held-out trials with it and sessions publish it, so both decide alike.
 * Two aggregates ({@link Aggregate}), one per readout type:
 *
 * <ul>
 *   <li>{@link Aggregate#MEAN}, for a leaky readout (y_t its logits): ℓ = ȳ = (1/n)·Σ_{t∈W} y_t. A
 *       leaky readout y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b) follows W·z̄_t + b, so ȳ is a linear
 *       function of the window-averaged filtered spikes, which is what the closed-form start of a
 *       classification job fits and what its {@code readout_ce} loss trains.
 *   <li>{@link Aggregate#SUM}, for a spike-count readout (y_t its output spikes, 0 or 1): ℓ = n_W =
 *       Σ_{t∈W} y_t, the window's output spike counts, the logits {@code spike_count_ce} trains
 *       (its loss is −log softmax(n_W)[c]).
 * </ul>
 *
 * <p>Threading: one owner. Allocation: none after construction.
 */
public final class WindowedDecision {
    /** How a window's frames make its logits. */
    public enum Aggregate {
        /** ℓ = the window's mean readout (leaky readouts). */
        MEAN,
        /** ℓ = the window's summed readout, i.e. output spike counts (spike-count readouts). */
        SUM;

        /** The aggregate a readout decides by: SUM for a spike-count readout, MEAN otherwise. */
        public static Aggregate of(boolean spikeCountReadout) {
            return spikeCountReadout ? SUM : MEAN;
        }
    }

    private final int classes;
    private final Aggregate aggregate;
    private final double[] sums;
    private final double[] offsets;
    private int frames;

    /**
     * A decision on the window-averaged readout ({@link Aggregate#MEAN}).
     *
     * @param classes readout width (&ge; 1)
     */
    public WindowedDecision(int classes) {
        this(classes, Aggregate.MEAN);
    }

    /**
     * @param classes readout width (&ge; 1)
     * @param aggregate how the window's frames make its logits
     */
    public WindowedDecision(int classes, Aggregate aggregate) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.classes = classes;
        this.aggregate = aggregate;
        this.sums = new double[classes];
        this.offsets = new double[classes];
    }

    /** Starts a new window: forgets the frames added so far (the offsets stay). */
    public void reset() {
        Arrays.fill(sums, 0.0);
        frames = 0;
    }

    /**
     * Adds one frame's readout.
     *
     * @param y length &ge; classes (not modified)
     */
    public void add(float[] y) {
        for (int k = 0; k < classes; k++) {
            sums[k] += y[k];
        }
        frames++;
    }

    /**
     * Adds one frame's readout.
     *
     * @param y length &ge; classes (not modified)
     */
    public void add(double[] y) {
        for (int k = 0; k < classes; k++) {
            sums[k] += y[k];
        }
        frames++;
    }

    /** How the window's frames make its logits. */
    public Aggregate aggregate() {
        return aggregate;
    }

    /** Frames added since the last {@link #reset}. */
    public int frames() {
        return frames;
    }

    /**
     * Sets the per-class offsets δ added to ȳ before the softmax.
     *
     * @param delta length classes, finite (copied)
     * @throws IllegalArgumentException for a wrong length or a non-finite value
     */
    public void offsets(double[] delta) {
        if (delta.length != classes) {
            throw new IllegalArgumentException(
                    "offsets have length " + delta.length + ", the readout has " + classes);
        }
        for (double d : delta) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("offsets must be finite, got " + d);
            }
        }
        System.arraycopy(delta, 0, offsets, 0, classes);
    }

    /**
     * Writes the window's logits ℓ without the offsets: ȳ (MEAN) or the summed readout (SUM).
     *
     * @param out length &ge; classes (modified)
     * @throws IllegalStateException when the window holds no frame
     */
    public void logits(double[] out) {
        requireFrames();
        for (int k = 0; k < classes; k++) {
            out[k] = aggregate == Aggregate.MEAN ? sums[k] / frames : sums[k];
        }
    }

    /**
     * Writes π = softmax(ℓ + δ) and returns the decision arg-max π.
     *
     * @param probabilities length &ge; classes (modified)
     * @throws IllegalStateException when the window holds no frame
     */
    public int decide(double[] probabilities) {
        logits(probabilities);
        for (int k = 0; k < classes; k++) {
            probabilities[k] += offsets[k];
        }
        return softmax(probabilities, classes);
    }

    private void requireFrames() {
        if (frames == 0) {
            throw new IllegalStateException("the window holds no frame");
        }
    }

    /**
     * In place: logits → softmax probabilities (max subtracted first, so large logits do not
     * overflow); returns the arg-max (the lowest index on a tie).
     *
     * @param v logits in, probabilities out (modified; first {@code n} values)
     */
    public static int softmax(double[] v, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        double max = v[best];
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            v[k] = Math.exp(v[k] - max);
            sum += v[k];
        }
        for (int k = 0; k < n; k++) {
            v[k] /= sum;
        }
        return best;
    }
}
