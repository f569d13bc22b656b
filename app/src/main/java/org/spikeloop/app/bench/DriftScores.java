package org.spikeloop.app.bench;

import org.spikeloop.learn.baseline.SlidingR2;

/**
 * The benchmark's scores of one decoder around a drift event, from its per-bin estimates:
 *
 * <ul>
 *   <li>{@code r2Before}: R² over the {@code windowS} seconds before the drift;
 *   <li>{@code r2After}: R² over the {@code windowS} seconds right after it (the immediate damage);
 *   <li>{@code r2At60s}: R² over the {@code windowS} seconds ending 60 s after it;
 *   <li>{@code recoveryS}: seconds after the drift until a sliding {@code windowS} R² lying wholly
 *       after the drift first comes within 0.05 of {@code r2Before} (null if it never does);
 *   <li>{@code sliding}: the sliding-window R² at every bin (NaN until the window fills).
 * </ul>
 *
 * R² is {@link SlidingR2}'s: per dimension 1 − SSE/SST, averaged over dimensions.
 */
record DriftScores(
        double r2Before, double r2After, double r2At60s, Double recoveryS, double[] sliding) {

    static final double RECOVERY_TOLERANCE = 0.05;

    /**
     * @param truth [bins][d] true velocity per bin
     * @param estimate [bins][d] decoded velocity per bin
     * @param binS bin length in seconds
     * @param driftBin index of the first bin after the drift
     * @param windowS window length in seconds
     */
    static DriftScores of(
            double[][] truth, double[][] estimate, double binS, int driftBin, double windowS) {
        int window = (int) Math.round(windowS / binS);
        int at60 = driftBin + (int) Math.round(60.0 / binS);
        if (driftBin < window || driftBin + window > truth.length) {
            throw new IllegalArgumentException(
                    "need a full " + windowS + " s window before and after the drift");
        }
        double before = r2(truth, estimate, driftBin - window, driftBin);
        double after = r2(truth, estimate, driftBin, driftBin + window);
        double at60s = at60 <= truth.length ? r2(truth, estimate, at60 - window, at60) : Double.NaN;
        SlidingR2 sliding = new SlidingR2(truth[0].length, window);
        double[] series = new double[truth.length];
        Double recovery = null;
        for (int b = 0; b < truth.length; b++) {
            sliding.add(truth[b], estimate[b]);
            series[b] = sliding.isFull() ? sliding.value() : Double.NaN;
            if (recovery == null
                    && b + 1 - window >= driftBin
                    && series[b] >= before - RECOVERY_TOLERANCE) {
                recovery = (b + 1 - driftBin) * binS;
            }
        }
        return new DriftScores(before, after, at60s, recovery, series);
    }

    private static double r2(double[][] truth, double[][] estimate, int from, int to) {
        return SlidingR2.of(
                java.util.Arrays.copyOfRange(truth, from, to),
                java.util.Arrays.copyOfRange(estimate, from, to));
    }
}
