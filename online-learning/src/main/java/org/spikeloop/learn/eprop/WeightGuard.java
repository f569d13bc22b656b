package org.spikeloop.learn.eprop;

import java.util.Arrays;

/**
 * The guards around one update of the learned layer's synaptic rows, applied row by row over
 * several steps: a snapshot of each row before it changes, so that a row whose gradient or new
 * weights are non-finite abandons the whole update with every row already changed restored (the
 * last good weights); and the weight-norm guard, which sums each group's squared Frobenius norm as
 * its rows land and, once the last row is done, scales a group whose norm exceeds {@code
 * maxWeightNorm} back onto that sphere (w ← w·limit/‖w‖).
 *
 * <p>Usage per update: {@link #begin}; per row, {@link #save} before the row changes, then either
 * {@link #addNorm} or {@link #abandon}; once, {@link #finish}. While {@link #aborted()} the
 * remaining rows must not change.
 *
 * <p>Single owner (the engine thread). Allocation: none after construction. The norm rescale and a
 * restore are O(weights) in one call (rare: the guard tripped).
 */
final class WeightGuard {
    private final SynapticRows rows;
    private final double maxWeightNorm;
    private final boolean normLimited;
    private final float[] snapshot; // [P][H]
    private final double[] normSquared = new double[SynapticRows.GROUPS];
    private boolean aborted;
    private long nonFiniteEvents;

    /**
     * @param rows the live weights this guard protects
     * @param maxWeightNorm the group norm limit (+∞ = off)
     */
    WeightGuard(SynapticRows rows, double maxWeightNorm) {
        this.rows = rows;
        this.maxWeightNorm = maxWeightNorm;
        this.normLimited = Double.isFinite(maxWeightNorm);
        this.snapshot = new float[rows.count() * rows.neurons()];
    }

    /** An update's first row is next: fresh norms, not aborted. */
    void begin() {
        aborted = false;
        Arrays.fill(normSquared, 0.0);
    }

    /** Whether this update was abandoned (its remaining rows must not change). */
    boolean aborted() {
        return aborted;
    }

    /** Keeps row i's current weights (not modified) as its last good values. */
    void save(int i) {
        int h = rows.neurons();
        System.arraycopy(rows.array(i), rows.offset(i), snapshot, i * h, h);
    }

    /**
     * Abandons the update: restores rows 0..changedRows−1 from their snapshots and counts a
     * non-finite event.
     *
     * @param changedRows the rows this update has written so far, the bad one included
     */
    void abandon(int changedRows) {
        int h = rows.neurons();
        for (int r = 0; r < changedRows; r++) {
            System.arraycopy(snapshot, r * h, rows.array(r), rows.offset(r), h);
        }
        aborted = true;
        nonFiniteEvents++;
    }

    /** Adds row i's new weights (not modified) to its group's squared norm, when limited. */
    void addNorm(int i) {
        if (!normLimited) {
            return;
        }
        final float[] w = rows.array(i);
        final int off = rows.offset(i);
        final int h = rows.neurons();
        double sq = 0.0;
        for (int j = 0; j < h; j++) {
            float v = w[off + j];
            sq += v * v;
        }
        normSquared[rows.group(i)] += sq;
    }

    /**
     * The update's last row is done: scales each group whose norm exceeds the limit back onto it.
     *
     * @return false if the update was abandoned (nothing scaled)
     */
    boolean finish() {
        if (aborted) {
            return false;
        }
        if (normLimited) {
            for (int group = 0; group < SynapticRows.GROUPS; group++) {
                double norm = Math.sqrt(normSquared[group]);
                if (norm > maxWeightNorm) {
                    scale(rows.groupArray(group), (float) (maxWeightNorm / norm));
                }
            }
        }
        return true;
    }

    private static void scale(float[] w, float factor) {
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
    }

    /** Updates abandoned because a row went non-finite. */
    long nonFiniteEvents() {
        return nonFiniteEvents;
    }
}
