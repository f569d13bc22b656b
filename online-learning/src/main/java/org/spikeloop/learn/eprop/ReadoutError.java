package org.spikeloop.learn.eprop;

/**
 * The output error err_k and the per-step loss of the e-prop readout (Bellec et al. 2020, Methods
 * eqs. (26)–(27)). Allocation-free; writes into the caller's array.
 */
final class ReadoutError {
    private ReadoutError() {}

    /**
     * @param loss MSE or softmax cross-entropy
     * @param y readout y_t (not modified)
     * @param scale ŷ = scale·y (1, or 1/(1 − κ) in NEST-compatible mode)
     * @param target y*_t (MSE) or class distribution π*_t (not modified)
     * @param err receives ŷ − y* (MSE) or softmax(ŷ) − π* (modified)
     * @return the step's loss ½·Σ(ŷ − y*)² or −Σ π*·log softmax(ŷ)
     */
    static double compute(
            ReadoutLoss loss, double[] y, double scale, double[] target, double[] err) {
        int n = err.length;
        if (loss == ReadoutLoss.MSE) {
            double e2 = 0.0;
            for (int k = 0; k < n; k++) {
                double d = scale * y[k] - target[k];
                err[k] = d;
                e2 += d * d;
            }
            return 0.5 * e2;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, scale * y[k]);
        }
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(scale * y[k] - max);
        }
        double logSum = max + Math.log(sum);
        double ce = 0.0;
        for (int k = 0; k < n; k++) {
            double logPi = scale * y[k] - logSum;
            err[k] = Math.exp(logPi) - target[k];
            if (target[k] != 0.0) {
                ce -= target[k] * logPi;
            }
        }
        return ce;
    }

    /** Float32 variant of {@link #compute} (math in float64, same formulas). */
    static double compute(ReadoutLoss loss, float[] y, double scale, float[] target, float[] err) {
        int n = err.length;
        if (loss == ReadoutLoss.MSE) {
            double e2 = 0.0;
            for (int k = 0; k < n; k++) {
                double d = scale * y[k] - target[k];
                err[k] = (float) d;
                e2 += d * d;
            }
            return 0.5 * e2;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, scale * y[k]);
        }
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(scale * y[k] - max);
        }
        double logSum = max + Math.log(sum);
        double ce = 0.0;
        for (int k = 0; k < n; k++) {
            double logPi = scale * y[k] - logSum;
            err[k] = (float) (Math.exp(logPi) - target[k]);
            if (target[k] != 0f) {
                ce -= target[k] * logPi;
            }
        }
        return ce;
    }
}
