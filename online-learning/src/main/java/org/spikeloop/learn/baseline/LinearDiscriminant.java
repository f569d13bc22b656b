package org.spikeloop.learn.baseline;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Linear discriminant analysis with a pooled, shrunk covariance (Hastie, Tibshirani &amp; Friedman,
 * The Elements of Statistical Learning, 2nd ed., eq. (4.10)): class k scores
 *
 * <pre>
 *   δ_k(f) = fᵀΣ⁻¹μ_k − ½·μ_kᵀΣ⁻¹μ_k + log π_k,   Σ = (1 − γ)·S_pooled + γ·(tr S_pooled / p)·I
 * </pre>
 *
 * and the prediction is the arg-max. γ shrinks towards a scaled identity (Ledoit–Wolf style), which
 * keeps Σ invertible with few trials.
 *
 * <p>Immutable after {@link #fit}; {@link #scores} and {@link #predict} allocate nothing and may be
 * called from one thread at a time per caller-owned buffer.
 */
public final class LinearDiscriminant {
    private final int features;
    private final int classes;
    private final double[] weight; // [k * features + j] = (Σ⁻¹μ_k)_j
    private final double[] bias;

    private LinearDiscriminant(int features, int classes, double[] weight, double[] bias) {
        this.features = features;
        this.classes = classes;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * @param x [N][p] feature vectors (not modified)
     * @param labels class per row, in [0, classes)
     * @param classes number of classes (&ge; 2)
     * @param shrinkage γ in [0, 1]
     * @throws IllegalArgumentException for inconsistent shapes, an empty class or a singular
     *     covariance with γ = 0
     */
    public static LinearDiscriminant fit(
            double[][] x, int[] labels, int classes, double shrinkage) {
        if (classes < 2) {
            throw new IllegalArgumentException("LDA needs >= 2 classes, got " + classes);
        }
        if (!(shrinkage >= 0 && shrinkage <= 1)) {
            throw new IllegalArgumentException("shrinkage must be in [0, 1], got " + shrinkage);
        }
        int p = Matrices.requireTable("features", x, classes);
        if (labels.length != x.length) {
            throw new IllegalArgumentException(
                    "LDA needs one label per row, got " + x.length + " rows and " + labels.length);
        }
        double[][] mean = new double[classes][p];
        int[] count = new int[classes];
        for (int i = 0; i < x.length; i++) {
            int k = labels[i];
            if (k < 0 || k >= classes) {
                throw new IllegalArgumentException(
                        "label " + k + " of row " + i + " outside [0, " + classes + ")");
            }
            count[k]++;
            for (int j = 0; j < p; j++) {
                mean[k][j] += x[i][j];
            }
        }
        for (int k = 0; k < classes; k++) {
            if (count[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no rows");
            }
            for (int j = 0; j < p; j++) {
                mean[k][j] /= count[k];
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(p, p);
        for (int i = 0; i < x.length; i++) {
            double[] mu = mean[labels[i]];
            for (int r = 0; r < p; r++) {
                double dr = x[i][r] - mu[r];
                for (int c = 0; c < p; c++) {
                    cov.data[r * p + c] += dr * (x[i][c] - mu[c]);
                }
            }
        }
        int dof = Math.max(1, x.length - classes);
        double trace = 0;
        for (int r = 0; r < p; r++) {
            trace += cov.get(r, r) / dof;
        }
        for (int i = 0; i < p * p; i++) {
            cov.data[i] *= (1 - shrinkage) / dof;
        }
        for (int r = 0; r < p; r++) {
            cov.add(r, r, shrinkage * trace / p);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(p);
        if (!solver.setA(cov)) {
            throw new IllegalArgumentException(
                    "pooled covariance is singular; use shrinkage > 0 or more trials");
        }
        double[] weight = new double[classes * p];
        double[] bias = new double[classes];
        DMatrixRMaj mu = new DMatrixRMaj(p, 1);
        DMatrixRMaj w = new DMatrixRMaj(p, 1);
        for (int k = 0; k < classes; k++) {
            System.arraycopy(mean[k], 0, mu.data, 0, p);
            solver.solve(mu, w);
            System.arraycopy(w.data, 0, weight, k * p, p);
            double quad = 0;
            for (int j = 0; j < p; j++) {
                quad += mean[k][j] * w.data[j];
            }
            bias[k] = -0.5 * quad + Math.log(count[k] / (double) x.length);
        }
        return new LinearDiscriminant(p, classes, weight, bias);
    }

    /**
     * Writes δ_k(f) for every class.
     *
     * @param f length &ge; features (not modified)
     * @param out length &ge; classes (modified)
     */
    public void scores(double[] f, double[] out) {
        for (int k = 0; k < classes; k++) {
            double s = bias[k];
            int base = k * features;
            for (int j = 0; j < features; j++) {
                s += weight[base + j] * f[j];
            }
            out[k] = s;
        }
    }

    /** Arg-max class of {@link #scores}, with {@code scratch} (length &ge; classes) as buffer. */
    public int predict(double[] f, double[] scratch) {
        scores(f, scratch);
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (scratch[k] > scratch[best]) {
                best = k;
            }
        }
        return best;
    }

    /** δ_k's constant term −½·μ_kᵀΣ⁻¹μ_k + log π_k (π_k the class's share of the rows). */
    public double bias(int k) {
        return bias[k];
    }

    /** Σ⁻¹μ_k (a copy). */
    public double[] weights(int k) {
        return java.util.Arrays.copyOfRange(weight, k * features, (k + 1) * features);
    }

    public int features() {
        return features;
    }

    public int classes() {
        return classes;
    }
}
