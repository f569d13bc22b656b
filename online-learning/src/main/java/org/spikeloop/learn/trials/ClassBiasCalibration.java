package org.spikeloop.learn.trials;

/**
 * Per-class offsets δ for a classification readout, calibrated on labelled trials so that its
 * decisions are not biased towards one class: with ȳ_i the window-averaged readout of trial i (see
 * {@link WindowedDecision}) and c_i its class,
 *
 * <pre>
 *   δ = argmin_δ  Σ_k (1/K)·(1/n_k)·Σ_{i: c_i = k} −log softmax(ȳ_i + δ)[k]  +  (λ/2)·‖δ‖²
 * </pre>
 *
 * the class-balanced cross-entropy: every class weighs the same whatever its number of trials n_k,
 * which is the prior correction of a classifier to equal class priors (a multinomial logistic
 * regression on the intercepts alone, Hastie, Tibshirani &amp; Friedman, ESL 2nd ed. §4.4, with the
 * slopes fixed). The objective is convex; λ = {@value #RIDGE} keeps δ finite when one class is
 * always right, and since softmax ignores a common shift the minimiser has Σ_k δ_k = 0. Solved by
 * Newton's method with a backtracking line search (at most {@value #MAX_ITERATIONS} iterations,
 * until the gradient's largest entry is below {@value #TOLERANCE}).
 *
 * <p>A readout whose bias grows by δ has its window average grow by δ too (after a few τ_out, since
 * y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b) settles to W·z̄_t + b), so δ can be added to the readout
 * bias of a checkpoint or a live decoder, or given to {@link WindowedDecision#offsets}.
 *
 * <p>Online use (a calibration session): {@link #add} one trial at a time on the engine thread
 * (allocation-free, bounded by the capacity), then {@link #fit()} once (control plane: allocates).
 * Offline: {@link #fit(double[][], int[], int)}. One owner; not thread-safe.
 */
public final class ClassBiasCalibration {
    /** Ridge λ on δ. */
    public static final double RIDGE = 1e-3;

    /** Most Newton iterations. */
    public static final int MAX_ITERATIONS = 100;

    /** Convergence: largest |∂/∂δ_k| of the objective. */
    public static final double TOLERANCE = 1e-10;

    private final int classes;
    private final int capacity;
    private final double[] means; // [trial * classes + k]
    private final int[] labels;
    private int trials;

    /**
     * @param classes K (&ge; 2)
     * @param capacityTrials most trials {@link #add} keeps (&ge; 1)
     */
    public ClassBiasCalibration(int classes, int capacityTrials) {
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "bias calibration needs >= 2 classes, got " + classes);
        }
        if (capacityTrials < 1) {
            throw new IllegalArgumentException(
                    "capacityTrials must be >= 1, got " + capacityTrials);
        }
        this.classes = classes;
        this.capacity = capacityTrials;
        this.means = new double[capacityTrials * classes];
        this.labels = new int[capacityTrials];
    }

    /**
     * Keeps one labelled trial.
     *
     * @param windowMean ȳ_i, length &ge; classes (copied)
     * @param classIndex c_i in [0, classes)
     * @return false (nothing kept) when the capacity is reached or ȳ_i is not finite
     * @throws IllegalArgumentException for a class outside [0, classes)
     */
    public boolean add(double[] windowMean, int classIndex) {
        if (classIndex < 0 || classIndex >= classes) {
            throw new IllegalArgumentException(
                    "class " + classIndex + " outside [0, " + classes + ")");
        }
        if (trials == capacity) {
            return false;
        }
        for (int k = 0; k < classes; k++) {
            if (!Double.isFinite(windowMean[k])) {
                return false;
            }
        }
        System.arraycopy(windowMean, 0, means, trials * classes, classes);
        labels[trials++] = classIndex;
        return true;
    }

    /** Trials kept. */
    public int trials() {
        return trials;
    }

    /** Forgets the trials kept. */
    public void clear() {
        trials = 0;
    }

    /**
     * δ for the trials kept.
     *
     * @throws IllegalArgumentException when a class has no trial
     */
    public double[] fit() {
        double[][] x = new double[trials][classes];
        int[] c = new int[trials];
        for (int i = 0; i < trials; i++) {
            System.arraycopy(means, i * classes, x[i], 0, classes);
            c[i] = labels[i];
        }
        return fit(x, c, classes);
    }

    /**
     * δ for the given trials.
     *
     * @param windowMeans ȳ_i per trial, each of length classes, finite (not modified)
     * @param classIndices c_i per trial
     * @param classes K (&ge; 2)
     * @return δ, length K, Σ δ_k = 0 (to rounding)
     * @throws IllegalArgumentException for inconsistent lengths, a non-finite ȳ, a class outside
     *     [0, K) or a class without trials
     */
    public static double[] fit(double[][] windowMeans, int[] classIndices, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "bias calibration needs >= 2 classes, got " + classes);
        }
        if (windowMeans.length != classIndices.length) {
            throw new IllegalArgumentException(
                    windowMeans.length + " trials but " + classIndices.length + " classes");
        }
        int n = windowMeans.length;
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            if (windowMeans[i].length != classes) {
                throw new IllegalArgumentException(
                        "trial " + i + " has " + windowMeans[i].length + " values, not " + classes);
            }
            for (double v : windowMeans[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("trial " + i + " has a non-finite readout");
                }
            }
            int c = classIndices[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException(
                        "trial " + i + " has class " + c + " outside [0, " + classes + ")");
            }
            count[c]++;
        }
        for (int k = 0; k < classes; k++) {
            if (count[k] == 0) {
                throw new IllegalArgumentException(
                        "class " + k + " has no trial to calibrate the bias on");
            }
        }
        double[] weight = new double[n];
        for (int i = 0; i < n; i++) {
            weight[i] = 1.0 / ((double) classes * count[classIndices[i]]);
        }
        double[] delta = new double[classes];
        double[] grad = new double[classes];
        double[][] hess = new double[classes][classes];
        double[] step = new double[classes];
        double[] trial = new double[classes];
        double[] p = new double[classes];
        double f = objective(windowMeans, classIndices, weight, delta, p);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            java.util.Arrays.fill(grad, 0.0);
            for (double[] row : hess) {
                java.util.Arrays.fill(row, 0.0);
            }
            for (int i = 0; i < n; i++) {
                probabilities(windowMeans[i], delta, p);
                double w = weight[i];
                for (int k = 0; k < classes; k++) {
                    grad[k] += w * (p[k] - (k == classIndices[i] ? 1.0 : 0.0));
                    for (int j = 0; j < classes; j++) {
                        hess[k][j] += w * ((k == j ? p[k] : 0.0) - p[k] * p[j]);
                    }
                }
            }
            double largest = 0.0;
            for (int k = 0; k < classes; k++) {
                grad[k] += RIDGE * delta[k];
                hess[k][k] += RIDGE;
                largest = Math.max(largest, Math.abs(grad[k]));
            }
            if (largest < TOLERANCE) {
                break;
            }
            solve(hess, grad, step);
            double slope = 0.0;
            for (int k = 0; k < classes; k++) {
                slope += grad[k] * step[k];
            }
            double t = 1.0;
            double next = Double.NaN;
            for (int back = 0; back < 60; back++) {
                for (int k = 0; k < classes; k++) {
                    trial[k] = delta[k] - t * step[k];
                }
                next = objective(windowMeans, classIndices, weight, trial, p);
                if (next <= f - 1e-4 * t * slope) {
                    break;
                }
                t *= 0.5;
            }
            if (!(next < f)) {
                break; // no further decrease representable
            }
            System.arraycopy(trial, 0, delta, 0, classes);
            f = next;
        }
        return delta;
    }

    /** The objective at δ; p is scratch. */
    private static double objective(
            double[][] x, int[] c, double[] weight, double[] delta, double[] p) {
        double f = 0.0;
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < delta.length; k++) {
                max = Math.max(max, x[i][k] + delta[k]);
            }
            double sum = 0.0;
            for (int k = 0; k < delta.length; k++) {
                sum += Math.exp(x[i][k] + delta[k] - max);
            }
            f += weight[i] * (max + Math.log(sum) - (x[i][c[i]] + delta[c[i]]));
        }
        double sq = 0.0;
        for (double d : delta) {
            sq += d * d;
        }
        return f + 0.5 * RIDGE * sq;
    }

    private static void probabilities(double[] x, double[] delta, double[] p) {
        for (int k = 0; k < delta.length; k++) {
            p[k] = x[k] + delta[k];
        }
        WindowedDecision.softmax(p, delta.length);
    }

    /** Solves A·s = b for the symmetric positive definite A (Cholesky); A and b not modified. */
    private static void solve(double[][] a, double[] b, double[] s) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j][j];
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * s[k];
            }
            s[i] = sum / l[i][i];
        }
    }
}
