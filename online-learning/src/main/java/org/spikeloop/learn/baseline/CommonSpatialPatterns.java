package org.spikeloop.learn.baseline;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Common spatial patterns (Ramoser, Müller-Gerking &amp; Pfurtscheller 2000, IEEE Trans. Rehab.
 * Eng. 8(4):441–446): spatial filters w maximising the variance of one class while minimising the
 * other, from the generalised eigenproblem
 *
 * <pre>
 *   Σ_a·w = λ·(Σ_a + Σ_b)·w,   Σ = mean over trials of X·Xᵀ / trace(X·Xᵀ)
 * </pre>
 *
 * solved by reduction to a symmetric problem: with the Cholesky factor Σ_a + Σ_b = L·Lᵀ, the
 * eigenvectors v of L⁻¹·Σ_a·L⁻ᵀ give w = L⁻ᵀ·v (so wᵀ(Σ_a + Σ_b)w = 1 and λ = wᵀΣ_a w ∈ [0, 1]).
 * The {@code pairs} filters with the largest and the {@code pairs} with the smallest λ are kept.
 * More than two classes use one-versus-rest problems (class k against the mean of the others), each
 * contributing 2·pairs filters.
 *
 * <p>Immutable after {@link #fit}. {@link #project} allocates nothing.
 */
public final class CommonSpatialPatterns {
    private final int channels;
    private final int filters;
    private final double[] weight; // [filter * channels + c]
    private final double[] eigenvalue; // λ per filter

    private CommonSpatialPatterns(int channels, double[] weight, double[] eigenvalue) {
        this.channels = channels;
        this.filters = eigenvalue.length;
        this.weight = weight;
        this.eigenvalue = eigenvalue;
    }

    /**
     * Fits the filters.
     *
     * @param trials [trial][channel][sample], band-passed (not modified)
     * @param labels class per trial, in [0, classes)
     * @param classes number of classes (&ge; 2)
     * @param pairs filters kept from each end of each problem (&ge; 1, 2·pairs &le; channels)
     * @throws IllegalArgumentException for inconsistent shapes, a class without trials, or
     *     rank-deficient covariances
     */
    public static CommonSpatialPatterns fit(
            double[][][] trials, int[] labels, int classes, int pairs) {
        if (classes < 2) {
            throw new IllegalArgumentException("CSP needs >= 2 classes, got " + classes);
        }
        if (trials.length == 0 || trials.length != labels.length) {
            throw new IllegalArgumentException(
                    "CSP needs one label per trial, got "
                            + trials.length
                            + " trials and "
                            + labels.length
                            + " labels");
        }
        int channels = trials[0].length;
        if (pairs < 1 || 2 * pairs > channels) {
            throw new IllegalArgumentException(
                    "pairs must be in [1, channels / 2 = " + channels / 2 + "], got " + pairs);
        }
        DMatrixRMaj[] classCov = new DMatrixRMaj[classes];
        int[] counts = new int[classes];
        for (int k = 0; k < classes; k++) {
            classCov[k] = new DMatrixRMaj(channels, channels);
        }
        for (int i = 0; i < trials.length; i++) {
            int k = labels[i];
            if (k < 0 || k >= classes) {
                throw new IllegalArgumentException(
                        "label " + k + " of trial " + i + " outside [0, " + classes + ")");
            }
            if (trials[i].length != channels) {
                throw new IllegalArgumentException(
                        "trial "
                                + i
                                + " has "
                                + trials[i].length
                                + " channels, expected "
                                + channels);
            }
            CommonOps_DDRM.addEquals(classCov[k], normalisedCovariance(trials[i]));
            counts[k]++;
        }
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no trials");
            }
            CommonOps_DDRM.scale(1.0 / counts[k], classCov[k]);
        }
        int problems = classes == 2 ? 1 : classes;
        double[] weight = new double[problems * 2 * pairs * channels];
        double[] lambda = new double[problems * 2 * pairs];
        int f = 0;
        for (int k = 0; k < problems; k++) {
            DMatrixRMaj rest = new DMatrixRMaj(channels, channels);
            for (int j = 0; j < classes; j++) {
                if (j != k) {
                    CommonOps_DDRM.addEquals(rest, classCov[j]);
                }
            }
            CommonOps_DDRM.scale(1.0 / (classes - 1), rest);
            f = solve(classCov[k], rest, pairs, weight, lambda, f);
        }
        return new CommonSpatialPatterns(channels, weight, lambda);
    }

    /** X·Xᵀ / trace(X·Xᵀ) of one trial [channel][sample]. */
    static DMatrixRMaj normalisedCovariance(double[][] trial) {
        int c = trial.length;
        int t = trial[0].length;
        DMatrixRMaj x = new DMatrixRMaj(c, t);
        for (int i = 0; i < c; i++) {
            if (trial[i].length != t) {
                throw new IllegalArgumentException("trial channels have different lengths");
            }
            System.arraycopy(trial[i], 0, x.data, i * t, t);
        }
        DMatrixRMaj cov = new DMatrixRMaj(c, c);
        CommonOps_DDRM.multTransB(x, x, cov);
        double trace = CommonOps_DDRM.trace(cov);
        if (!(trace > 0)) {
            throw new IllegalArgumentException("a trial has zero power on every channel");
        }
        CommonOps_DDRM.scale(1.0 / trace, cov);
        return cov;
    }

    private static int solve(
            DMatrixRMaj a, DMatrixRMaj b, int pairs, double[] weight, double[] lambda, int f) {
        int c = a.numRows;
        DMatrixRMaj composite = a.copy();
        CommonOps_DDRM.addEquals(composite, b);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(c, true);
        if (!chol.decompose(composite)) {
            throw new IllegalArgumentException(
                    "composite covariance is not positive definite (rank-deficient channels)");
        }
        DMatrixRMaj lInv = chol.getT(null);
        if (!CommonOps_DDRM.invert(lInv)) {
            throw new IllegalArgumentException("composite covariance is singular");
        }
        DMatrixRMaj tmp = new DMatrixRMaj(c, c);
        DMatrixRMaj m = new DMatrixRMaj(c, c);
        CommonOps_DDRM.mult(lInv, a, tmp);
        CommonOps_DDRM.multTransB(tmp, lInv, m);
        // Symmetrise against rounding before the symmetric eigen-solver.
        DMatrixRMaj mT = CommonOps_DDRM.transpose(m, null);
        CommonOps_DDRM.add(0.5, m, 0.5, mT, m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(c, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("CSP eigen-decomposition failed");
        }
        Integer[] order = new Integer[c];
        for (int i = 0; i < c; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -eig.getEigenvalue(i).real));
        int[] keep = new int[2 * pairs];
        for (int i = 0; i < pairs; i++) {
            keep[i] = order[i];
            keep[2 * pairs - 1 - i] = order[c - 1 - i];
        }
        DMatrixRMaj w = new DMatrixRMaj(c, 1);
        for (int idx : keep) {
            DMatrixRMaj v = eig.getEigenVector(idx);
            CommonOps_DDRM.multTransA(lInv, v, w); // w = L⁻ᵀ v
            System.arraycopy(w.data, 0, weight, f * c, c);
            lambda[f] = eig.getEigenvalue(idx).real;
            f++;
        }
        return f;
    }

    /**
     * Applies the filters to one frame.
     *
     * @param frame length &ge; channels (not modified)
     * @param out length &ge; filterCount, receives wᵀ·frame per filter (modified)
     */
    public void project(double[] frame, double[] out) {
        for (int f = 0; f < filters; f++) {
            double sum = 0;
            int base = f * channels;
            for (int c = 0; c < channels; c++) {
                sum += weight[base + c] * frame[c];
            }
            out[f] = sum;
        }
    }

    public int filterCount() {
        return filters;
    }

    public int channels() {
        return channels;
    }

    /** Filter f's weights (a copy). */
    public double[] filter(int f) {
        return Arrays.copyOfRange(weight, f * channels, (f + 1) * channels);
    }

    /** Generalised eigenvalue λ of filter f (variance share of its "a" class). */
    public double eigenvalue(int f) {
        return eigenvalue[f];
    }
}
