package org.spikeloop.learn.baseline;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The linear-Gaussian encoding model of the velocity Kalman filter, fitted by least squares on
 * binned training data (Wu, Gao, Bienenstock, Donoghue &amp; Black 2006, "Bayesian population
 * decoding of motor cortical activity using a Kalman filter", Neural Comput. 18:80–118, sec. 2):
 *
 * <pre>
 *   system       x_t = A·x_{t−1} + w_t,  w_t ~ N(0, W)
 *   observation  z_t = H·x_t + q_t,      q_t ~ N(0, Q)
 *   A = X₂X₁ᵀ(X₁X₁ᵀ)⁻¹    W = (X₂ − A·X₁)(X₂ − A·X₁)ᵀ/(T − 1)
 *   H = Z·Xᵀ(X·Xᵀ)⁻¹      Q = (Z − H·X)(Z − H·X)ᵀ/T
 * </pre>
 *
 * with samples as columns, X₁ = x_{1..T−1}, X₂ = x_{2..T}, and x and z centred on their training
 * means (Wu et al. subtract the mean rates, so no bias term is needed).
 *
 * <p>Immutable after {@link #fit}; accessors return copies. Thread-safe.
 */
public final class KalmanModel {
    private final DMatrixRMaj a;
    private final DMatrixRMaj w;
    private final DMatrixRMaj h;
    private final DMatrixRMaj q;
    private final double[] kinematicsMean;
    private final double[] featureMean;

    private KalmanModel(
            DMatrixRMaj a,
            DMatrixRMaj w,
            DMatrixRMaj h,
            DMatrixRMaj q,
            double[] kinematicsMean,
            double[] featureMean) {
        this.a = a;
        this.w = w;
        this.h = h;
        this.q = q;
        this.kinematicsMean = kinematicsMean;
        this.featureMean = featureMean;
    }

    /**
     * Fits A, W, H, Q by least squares.
     *
     * @param kinematics [T][d] kinematics per bin (not modified)
     * @param features [T][n] features per bin, e.g. spike counts (not modified)
     * @param noiseFloor added to Q's diagonal (&ge; 0) so silent or constant features keep Q
     *     invertible; in feature units squared
     * @throws IllegalArgumentException for mismatched, ragged, non-finite or too short data, or
     *     kinematics that do not span their space
     */
    public static KalmanModel fit(double[][] kinematics, double[][] features, double noiseFloor) {
        Matrices.requireTable("kinematics", kinematics, 3);
        int n = Matrices.requireTable("features", features, 3);
        Matrices.requireSameLength("kinematics", kinematics, "features", features);
        if (!(noiseFloor >= 0.0) || !Double.isFinite(noiseFloor)) {
            throw new IllegalArgumentException(
                    "noiseFloor must be finite and >= 0, got " + noiseFloor);
        }
        int samples = kinematics.length;
        double[] xMean = Matrices.mean(kinematics);
        double[] zMean = Matrices.mean(features);
        DMatrixRMaj x = Matrices.columns(kinematics, 0, samples, xMean);
        DMatrixRMaj z = Matrices.columns(features, 0, samples, zMean);
        DMatrixRMaj x1 = Matrices.columns(kinematics, 0, samples - 1, xMean);
        DMatrixRMaj x2 = Matrices.columns(kinematics, 1, samples, xMean);

        // A = X2 X1ᵀ (X1 X1ᵀ)⁻¹, solved as (X1 X1ᵀ) Aᵀ = X1 X2ᵀ.
        DMatrixRMaj aT = solveSymmetric(gram(x1), multTransB(x1, x2), "kinematics");
        DMatrixRMaj a = CommonOps_DDRM.transpose(aT, null);
        DMatrixRMaj wRes = x2.copy();
        CommonOps_DDRM.multAdd(-1.0, a, x1, wRes);
        DMatrixRMaj w = gram(wRes);
        CommonOps_DDRM.scale(1.0 / (samples - 1), w);

        // H = Z Xᵀ (X Xᵀ)⁻¹, solved as (X Xᵀ) Hᵀ = X Zᵀ.
        DMatrixRMaj hT = solveSymmetric(gram(x), multTransB(x, z), "kinematics");
        DMatrixRMaj h = CommonOps_DDRM.transpose(hT, null);
        DMatrixRMaj qRes = z.copy();
        CommonOps_DDRM.multAdd(-1.0, h, x, qRes);
        DMatrixRMaj q = gram(qRes);
        CommonOps_DDRM.scale(1.0 / samples, q);
        for (int i = 0; i < n; i++) {
            q.add(i, i, noiseFloor);
        }
        return new KalmanModel(a, w, h, q, xMean, zMean);
    }

    /** M·Mᵀ. */
    private static DMatrixRMaj gram(DMatrixRMaj m) {
        DMatrixRMaj g = new DMatrixRMaj(m.numRows, m.numRows);
        CommonOps_DDRM.multTransB(m, m, g);
        return g;
    }

    private static DMatrixRMaj multTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, out);
        return out;
    }

    private static DMatrixRMaj solveSymmetric(DMatrixRMaj lhs, DMatrixRMaj rhs, String what) {
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(lhs.numRows);
        if (!solver.setA(lhs.copy())) {
            throw new IllegalArgumentException(
                    what + " do not span their space (singular X·Xᵀ); vary every dimension");
        }
        DMatrixRMaj out = new DMatrixRMaj(lhs.numRows, rhs.numCols);
        solver.solve(rhs, out);
        return out;
    }

    /** Kinematic dimensions d. */
    public int kinematicDims() {
        return a.numRows;
    }

    /** Features n. */
    public int featureCount() {
        return h.numRows;
    }

    /** State transition A [d × d] (a copy). */
    public DMatrixRMaj a() {
        return a.copy();
    }

    /** State noise covariance W [d × d] (a copy). */
    public DMatrixRMaj w() {
        return w.copy();
    }

    /** Observation matrix H [n × d] (a copy). */
    public DMatrixRMaj h() {
        return h.copy();
    }

    /** Observation noise covariance Q [n × n] (a copy). */
    public DMatrixRMaj q() {
        return q.copy();
    }

    /** Training mean of the kinematics (a copy). */
    public double[] kinematicsMean() {
        return kinematicsMean.clone();
    }

    /** Training mean of the features (a copy). */
    public double[] featureMean() {
        return featureMean.clone();
    }
}
