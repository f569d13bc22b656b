package org.spikeloop.learn.baseline;

/**
 * Coefficient of determination over the most recent {@code window} samples, averaged over output
 * dimensions: R² = (1/D)·Σ_k [1 − Σ_t (y_tk − ŷ_tk)² / Σ_t (y_tk − ȳ_k)²], with ȳ_k the mean of the
 * window — the usual score of continuous BCI decoders (as in Glaser et al. 2020, "Machine learning
 * for neural decoding", eNeuro 7(4)), made incremental for live status lines.
 *
 * <p>Running sums are updated per sample and recomputed from the ring buffer once per window so
 * rounding cannot accumulate. Single-threaded; {@link #add} and {@link #value} allocate nothing.
 */
public final class SlidingR2 {
    private final int dims;
    private final int window;
    private final double[] truth; // [slot * dims + k]
    private final double[] error;
    private final double[] sumY;
    private final double[] sumYy;
    private final double[] sumEe;
    private int head;
    private int count;
    private int sinceRecompute;

    /**
     * @param dims output dimensions D (&ge; 1)
     * @param window samples in the window (&ge; 2)
     */
    public SlidingR2(int dims, int window) {
        if (dims < 1) {
            throw new IllegalArgumentException("dims must be >= 1, got " + dims);
        }
        if (window < 2) {
            throw new IllegalArgumentException("window must be >= 2 samples, got " + window);
        }
        this.dims = dims;
        this.window = window;
        this.truth = new double[window * dims];
        this.error = new double[window * dims];
        this.sumY = new double[dims];
        this.sumYy = new double[dims];
        this.sumEe = new double[dims];
    }

    /**
     * Adds one sample.
     *
     * @param actual length &ge; dims (not modified)
     * @param predicted length &ge; dims (not modified)
     */
    public void add(double[] actual, double[] predicted) {
        int base = head * dims;
        boolean full = count == window;
        for (int k = 0; k < dims; k++) {
            double y = actual[k];
            double e = y - predicted[k];
            if (full) {
                double oldY = truth[base + k];
                double oldE = error[base + k];
                sumY[k] -= oldY;
                sumYy[k] -= oldY * oldY;
                sumEe[k] -= oldE * oldE;
            }
            truth[base + k] = y;
            error[base + k] = e;
            sumY[k] += y;
            sumYy[k] += y * y;
            sumEe[k] += e * e;
        }
        head = head + 1 == window ? 0 : head + 1;
        if (!full) {
            count++;
        }
        if (++sinceRecompute == window) {
            recompute();
        }
    }

    private void recompute() {
        sinceRecompute = 0;
        for (int k = 0; k < dims; k++) {
            double sy = 0;
            double syy = 0;
            double see = 0;
            for (int slot = 0; slot < count; slot++) {
                double y = truth[slot * dims + k];
                double e = error[slot * dims + k];
                sy += y;
                syy += y * y;
                see += e * e;
            }
            sumY[k] = sy;
            sumYy[k] = syy;
            sumEe[k] = see;
        }
    }

    /**
     * R² of the samples in the window (fewer while filling up); NaN with fewer than two samples or
     * when some dimension is constant over the window.
     */
    public double value() {
        if (count < 2) {
            return Double.NaN;
        }
        double total = 0;
        for (int k = 0; k < dims; k++) {
            double sst = sumYy[k] - sumY[k] * sumY[k] / count;
            if (!(sst > 0)) {
                return Double.NaN;
            }
            total += 1.0 - sumEe[k] / sst;
        }
        return total / dims;
    }

    /** True once {@code window} samples have been added. */
    public boolean isFull() {
        return count == window;
    }

    /** Samples currently in the window. */
    public int count() {
        return count;
    }

    /** Empties the window. */
    public void reset() {
        head = 0;
        count = 0;
        sinceRecompute = 0;
        java.util.Arrays.fill(sumY, 0);
        java.util.Arrays.fill(sumYy, 0);
        java.util.Arrays.fill(sumEe, 0);
    }

    /**
     * R² over a whole series (same definition, one window covering everything).
     *
     * @param actual [T][D] (not modified)
     * @param predicted [T][D] (not modified)
     */
    public static double of(double[][] actual, double[][] predicted) {
        if (actual.length != predicted.length || actual.length < 2) {
            throw new IllegalArgumentException(
                    "R² needs two equally long series of >= 2 samples, got "
                            + actual.length
                            + " and "
                            + predicted.length);
        }
        SlidingR2 r2 = new SlidingR2(actual[0].length, actual.length);
        for (int t = 0; t < actual.length; t++) {
            r2.add(actual[t], predicted[t]);
        }
        return r2.value();
    }
}
