package org.spikeloop.learn.baseline;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The Wiener filter decoder: kinematics as a linear function of the current and {@code lags − 1}
 * previous bins of features (Carmena et al. 2003, PLoS Biol. 1(2):e42, Methods "linear model"; the
 * discrete Wiener–Hopf solution), x_t = b + Σ_{l=0}^{L−1} W_lᵀ·z_{t−l}, fitted by ridge regression
 * on centred data:
 *
 * <pre>
 *   (ΦᵀΦ/T + λ·I)·W = ΦᵀX/T,   b = x̄ − Wᵀ·φ̄
 * </pre>
 *
 * where row t of Φ is [z_t, z_{t−1}, …, z_{t−L+1}] (lag-major) and λ (in feature units squared)
 * keeps the normal equations well-posed when units are silent or collinear; the bias is not
 * penalised.
 *
 * <p>Single-threaded; {@link #decode} allocates nothing. Before {@code lags} bins have been seen,
 * missing history counts as the training mean.
 */
public final class WienerFilter implements KinematicDecoder {
    private final int n;
    private final int d;
    private final int lags;
    private final double[] weight; // [(l * n + i) * d + k]
    private final double[] bias;
    private final double[] featureMean;
    private final double[] history; // [slot * n + i], slot = ring position
    private int head;

    private WienerFilter(
            int n, int d, int lags, double[] weight, double[] bias, double[] featureMean) {
        this.n = n;
        this.d = d;
        this.lags = lags;
        this.weight = weight;
        this.bias = bias;
        this.featureMean = featureMean;
        this.history = new double[lags * n];
        reset();
    }

    /**
     * Fits the filter.
     *
     * @param features [T][n] features per bin (not modified)
     * @param kinematics [T][d] kinematics per bin (not modified)
     * @param lags L &ge; 1, bins of history including the current one
     * @param ridge λ &ge; 0
     * @throws IllegalArgumentException for mismatched, ragged, non-finite or too short data, bad
     *     lags or ridge, or a singular problem with λ = 0
     */
    public static WienerFilter fit(
            double[][] features, double[][] kinematics, int lags, double ridge) {
        if (lags < 1) {
            throw new IllegalArgumentException("lags must be >= 1, got " + lags);
        }
        if (!(ridge >= 0.0) || !Double.isFinite(ridge)) {
            throw new IllegalArgumentException("ridge must be finite and >= 0, got " + ridge);
        }
        int n = Matrices.requireTable("features", features, lags + 1);
        int d = Matrices.requireTable("kinematics", kinematics, lags + 1);
        Matrices.requireSameLength("features", features, "kinematics", kinematics);
        int rows = features.length - lags + 1;
        int p = lags * n;
        DMatrixRMaj phi = new DMatrixRMaj(rows, p);
        DMatrixRMaj x = new DMatrixRMaj(rows, d);
        for (int r = 0; r < rows; r++) {
            int t = r + lags - 1;
            for (int l = 0; l < lags; l++) {
                System.arraycopy(features[t - l], 0, phi.data, r * p + l * n, n);
            }
            System.arraycopy(kinematics[t], 0, x.data, r * d, d);
        }
        double[] phiMean = centreColumns(phi);
        double[] xMean = centreColumns(x);
        DMatrixRMaj cov = new DMatrixRMaj(p, p);
        CommonOps_DDRM.multInner(phi, cov);
        CommonOps_DDRM.scale(1.0 / rows, cov);
        for (int i = 0; i < p; i++) {
            cov.add(i, i, ridge);
        }
        DMatrixRMaj cross = new DMatrixRMaj(p, d);
        CommonOps_DDRM.multTransA(phi, x, cross);
        CommonOps_DDRM.scale(1.0 / rows, cross);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(p);
        if (!solver.setA(cov)) {
            throw new IllegalArgumentException(
                    "feature covariance is singular (silent or collinear features); use ridge > 0");
        }
        DMatrixRMaj w = new DMatrixRMaj(p, d);
        solver.solve(cross, w);
        double[] bias = xMean.clone();
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < d; k++) {
                bias[k] -= w.get(j, k) * phiMean[j];
            }
        }
        double[] featureMean = new double[n];
        System.arraycopy(phiMean, 0, featureMean, 0, n);
        return new WienerFilter(n, d, lags, w.data, bias, featureMean);
    }

    /** Subtracts each column's mean in place and returns the means. */
    private static double[] centreColumns(DMatrixRMaj m) {
        double[] mean = new double[m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                mean[c] += m.data[r * m.numCols + c];
            }
        }
        for (int c = 0; c < m.numCols; c++) {
            mean[c] /= m.numRows;
        }
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                m.data[r * m.numCols + c] -= mean[c];
            }
        }
        return mean;
    }

    /** Tap W_l[i][k]: weight of feature i, l bins ago, on output k. */
    public double tap(int lag, int feature, int output) {
        return weight[(lag * n + feature) * d + output];
    }

    /** Bias b[k]. */
    public double bias(int output) {
        return bias[output];
    }

    public int lags() {
        return lags;
    }

    @Override
    public int featureCount() {
        return n;
    }

    @Override
    public int outputCount() {
        return d;
    }

    @Override
    public void decode(float[] features, double[] kinematicsOut) {
        final int nn = n;
        final int dd = d;
        head = head + 1 == lags ? 0 : head + 1;
        int base = head * nn;
        for (int i = 0; i < nn; i++) {
            history[base + i] = features[i];
        }
        for (int k = 0; k < dd; k++) {
            kinematicsOut[k] = bias[k];
        }
        for (int l = 0; l < lags; l++) {
            int slot = head - l;
            if (slot < 0) {
                slot += lags;
            }
            int h = slot * nn;
            int wBase = l * nn * dd;
            for (int i = 0; i < nn; i++) {
                double z = history[h + i];
                int wi = wBase + i * dd;
                for (int k = 0; k < dd; k++) {
                    kinematicsOut[k] += weight[wi + k] * z;
                }
            }
        }
    }

    @Override
    public void reset() {
        for (int slot = 0; slot < lags; slot++) {
            System.arraycopy(featureMean, 0, history, slot * n, n);
        }
        head = 0;
    }
}
