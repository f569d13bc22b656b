package org.spikeloop.learn.jobs;

/**
 * Per-output regression scores of a decoder on one stretch of frames: R²_k = 1 − SSE_k/SST_k and
 * the mean squared error, in the targets' own units.
 *
 * @param r2 R² per output
 * @param mse mean squared error per output (target units²)
 */
public record RegressionScore(double[] r2, double[] mse) {
    public RegressionScore {
        r2 = r2.clone();
        mse = mse.clone();
    }

    /** R² averaged over outputs. */
    public double meanR2() {
        double s = 0;
        for (double v : r2) {
            s += v;
        }
        return s / r2.length;
    }

    /** MSE averaged over outputs (target units²). */
    public double meanMse() {
        double s = 0;
        for (double v : mse) {
            s += v;
        }
        return s / mse.length;
    }

    /**
     * Scores predictions against targets over frames [from, to).
     *
     * @param predictions ŷ row-major [T, O] (not modified)
     * @param targets y row-major [T, O] (not modified)
     * @throws IllegalArgumentException for an empty range or mismatched lengths
     */
    public static RegressionScore of(
            float[] predictions, double[] targets, int outputs, int from, int to) {
        if (predictions.length != targets.length || from < 0 || to * outputs > targets.length) {
            throw new IllegalArgumentException(
                    "predictions ("
                            + predictions.length
                            + ") and targets ("
                            + targets.length
                            + ") differ, or ["
                            + from
                            + ", "
                            + to
                            + ") is outside them");
        }
        int n = to - from;
        if (n < 2) {
            throw new IllegalArgumentException("need >= 2 frames to score, got " + n);
        }
        double[] r2 = new double[outputs];
        double[] mse = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            double sum = 0;
            double sumSq = 0;
            double sse = 0;
            for (int f = from; f < to; f++) {
                double y = targets[f * outputs + k];
                double e = predictions[f * outputs + k] - y;
                sum += y;
                sumSq += y * y;
                sse += e * e;
            }
            double sst = sumSq - sum * sum / n;
            r2[k] = sst > 0 ? 1.0 - sse / sst : (sse == 0 ? 1.0 : Double.NEGATIVE_INFINITY);
            mse[k] = sse / n;
        }
        return new RegressionScore(r2, mse);
    }
}
