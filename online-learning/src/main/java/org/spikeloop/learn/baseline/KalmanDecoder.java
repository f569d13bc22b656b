package org.spikeloop.learn.baseline;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The velocity Kalman filter (Wu et al. 2006, Neural Comput. 18:80–118, sec. 2.2) over a fitted
 * {@link KalmanModel}, run in the information form so each bin inverts only d × d matrices instead
 * of the n × n innovation covariance (n ≫ d for an array):
 *
 * <pre>
 *   x⁻ = A·x                 P⁻ = A·P·Aᵀ + W
 *   P  = (P⁻⁻¹ + HᵀQ⁻¹H)⁻¹   solved as (I + P⁻·S)·P = P⁻ with S = HᵀQ⁻¹H
 *   x  = x⁻ + P·(HᵀQ⁻¹·z − S·x⁻)
 * </pre>
 *
 * which equals the usual gain form K = P⁻Hᵀ(HP⁻Hᵀ + Q)⁻¹ by the matrix inversion lemma (P·HᵀQ⁻¹ =
 * K). With {@code steadyState} the covariance recursion is iterated to convergence once, and each
 * bin only computes x = M·x + N·z with M = (I − P∞·S)·A and N = P∞·HᵀQ⁻¹.
 *
 * <p>z is centred on the training mean of the features and the output shifted by the training mean
 * of the kinematics. Single-threaded; {@link #decode} allocates nothing.
 */
public final class KalmanDecoder implements KinematicDecoder {
    private static final int MAX_RICCATI_ITERATIONS = 100_000;
    private static final double RICCATI_TOLERANCE = 1e-12;

    private final int d;
    private final int n;
    private final boolean steadyState;
    private final DMatrixRMaj a;
    private final DMatrixRMaj w;
    private final DMatrixRMaj s; // HᵀQ⁻¹H [d × d]
    private final DMatrixRMaj g; // HᵀQ⁻¹ [d × n]
    private final DMatrixRMaj m; // steady state (I − P∞S)A
    private final DMatrixRMaj nGain; // steady state P∞HᵀQ⁻¹
    private final double[] xMean;
    private final double[] zMean;
    private final DMatrixRMaj x;
    private final DMatrixRMaj xPrior;
    private final DMatrixRMaj p;
    private final DMatrixRMaj pPrior;
    private final DMatrixRMaj tmp;
    private final DMatrixRMaj lhs;
    private final DMatrixRMaj z;
    private final DMatrixRMaj innovation;
    private final DMatrixRMaj correction;
    private final LinearSolverDense<DMatrixRMaj> solver;

    /**
     * @param model the fitted model
     * @param steadyState use the converged gain from the first bin on (cheaper, and what many
     *     closed-loop systems run)
     */
    public KalmanDecoder(KalmanModel model, boolean steadyState) {
        this.d = model.kinematicDims();
        this.n = model.featureCount();
        this.steadyState = steadyState;
        this.a = model.a();
        this.w = model.w();
        DMatrixRMaj h = model.h();
        DMatrixRMaj qInv = new DMatrixRMaj(n, n);
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.symmPosDef(n);
        if (!chol.setA(model.q())) {
            throw new IllegalArgumentException(
                    "observation noise Q is not positive definite; fit with a noiseFloor > 0");
        }
        chol.invert(qInv);
        this.g = new DMatrixRMaj(d, n);
        CommonOps_DDRM.multTransA(h, qInv, g);
        this.s = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(g, h, s);
        this.xMean = model.kinematicsMean();
        this.zMean = model.featureMean();
        this.x = new DMatrixRMaj(d, 1);
        this.xPrior = new DMatrixRMaj(d, 1);
        this.p = new DMatrixRMaj(d, d);
        this.pPrior = new DMatrixRMaj(d, d);
        this.tmp = new DMatrixRMaj(d, d);
        this.lhs = new DMatrixRMaj(d, d);
        this.z = new DMatrixRMaj(n, 1);
        this.innovation = new DMatrixRMaj(d, 1);
        this.correction = new DMatrixRMaj(d, 1);
        this.solver = LinearSolverFactory_DDRM.linear(d);
        this.m = new DMatrixRMaj(d, d);
        this.nGain = new DMatrixRMaj(d, n);
        reset();
        if (steadyState) {
            convergeCovariance();
            // M = (I − P S) A, N = P G.
            CommonOps_DDRM.mult(p, s, tmp);
            CommonOps_DDRM.scale(-1.0, tmp);
            for (int i = 0; i < d; i++) {
                tmp.add(i, i, 1.0);
            }
            CommonOps_DDRM.mult(tmp, a, m);
            CommonOps_DDRM.mult(p, g, nGain);
            reset();
        }
    }

    private void convergeCovariance() {
        DMatrixRMaj previous = new DMatrixRMaj(d, d);
        for (int it = 0; it < MAX_RICCATI_ITERATIONS; it++) {
            previous.setTo(p);
            updateCovariance();
            double change = 0;
            double scale = 0;
            for (int i = 0; i < d * d; i++) {
                change = Math.max(change, Math.abs(p.data[i] - previous.data[i]));
                scale = Math.max(scale, Math.abs(p.data[i]));
            }
            if (change <= RICCATI_TOLERANCE * Math.max(scale, Double.MIN_NORMAL)) {
                return;
            }
        }
        throw new IllegalStateException(
                "Kalman covariance did not converge in " + MAX_RICCATI_ITERATIONS + " steps");
    }

    /** P⁻ = A P Aᵀ + W, then P = (I + P⁻ S)⁻¹ P⁻. */
    private void updateCovariance() {
        CommonOps_DDRM.mult(a, p, tmp);
        CommonOps_DDRM.multTransB(tmp, a, pPrior);
        CommonOps_DDRM.addEquals(pPrior, w);
        CommonOps_DDRM.mult(pPrior, s, lhs);
        for (int i = 0; i < d; i++) {
            lhs.add(i, i, 1.0);
        }
        if (!solver.setA(lhs)) {
            throw new IllegalStateException("singular Kalman covariance update");
        }
        solver.solve(pPrior, p);
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
        final double[] zd = z.data;
        for (int i = 0; i < n; i++) {
            zd[i] = features[i] - zMean[i];
        }
        if (steadyState) {
            CommonOps_DDRM.mult(m, x, xPrior);
            CommonOps_DDRM.mult(nGain, z, correction);
            CommonOps_DDRM.add(xPrior, correction, x);
        } else {
            CommonOps_DDRM.mult(a, x, xPrior);
            updateCovariance();
            CommonOps_DDRM.mult(g, z, innovation);
            CommonOps_DDRM.multAdd(-1.0, s, xPrior, innovation);
            CommonOps_DDRM.mult(p, innovation, correction);
            CommonOps_DDRM.add(xPrior, correction, x);
        }
        for (int i = 0; i < d; i++) {
            kinematicsOut[i] = x.data[i] + xMean[i];
        }
    }

    @Override
    public void reset() {
        x.zero();
        p.setTo(w);
    }

    /**
     * Copies the current posterior covariance P (the filter's own estimate of its error covariance;
     * P∞ in steady state) into {@code out} (modified, d × d).
     */
    public void posteriorCovariance(DMatrixRMaj out) {
        if (steadyState) {
            out.setTo(steadyCovariance());
        } else {
            out.setTo(p);
        }
    }

    private DMatrixRMaj steadyCovariance() {
        // In steady state p was reset; recompute P∞ on demand (control plane only).
        DMatrixRMaj saved = p.copy();
        convergeCovariance();
        DMatrixRMaj result = p.copy();
        p.setTo(saved);
        return result;
    }
}
