package org.spikeloop.learn.readout;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Fits a leaky readout's weights in closed form. The readout y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b)
 * is, from a zero start, y_t = W·z̄_t + b·(1 − κ^t) with the filtered spikes z̄_t = κ·z̄_{t−1} + (1
 * − κ)·z_t; past the first few τ_out, b·(1 − κ^t) ≈ b, so W and b solve the ridge problem
 *
 * <pre>
 *   min_{W,b} Σ_t ‖y*_t − W·z̄_t − b‖² + λ·T·‖W‖²   ⇔   (Z̃ᵀZ̃/T + λI)·Wᵀ = Z̃ᵀỸ/T,  b = ȳ* − W·z̄̄
 * </pre>
 *
 * on centred data (Z̃, Ỹ), the bias unpenalised. This is how a reservoir's readout is calibrated
 * (Maass et al. 2002, liquid state machines); it gives a decoder in one pass, before any gradient
 * training.
 *
 * <p>Control-plane code: allocates freely; not for the step loop.
 */
public final class LeastSquaresReadout {
    private LeastSquaresReadout() {}

    /**
     * @param filteredSpikes z̄ [T][H] (not modified)
     * @param targets y* [T][O] (not modified)
     * @param ridge λ &ge; 0, in (spike-trace units)²
     * @return {W as [O][H] flattened row-major, b [O]} as {@code double[2][]}
     * @throws IllegalArgumentException for empty, ragged or non-finite data, or a singular problem
     */
    public static double[][] fit(double[][] filteredSpikes, double[][] targets, double ridge) {
        int t = filteredSpikes.length;
        if (t < 2 || targets.length != t) {
            throw new IllegalArgumentException(
                    "need >= 2 matching samples, got "
                            + t
                            + " traces and "
                            + targets.length
                            + " targets");
        }
        if (!(ridge >= 0.0) || !Double.isFinite(ridge)) {
            throw new IllegalArgumentException("ridge must be finite and >= 0, got " + ridge);
        }
        int h = filteredSpikes[0].length;
        int o = targets[0].length;
        double[] meanZ = new double[h];
        double[] meanY = new double[o];
        for (int s = 0; s < t; s++) {
            requireRow(filteredSpikes[s], h, "filteredSpikes", s);
            requireRow(targets[s], o, "targets", s);
            for (int i = 0; i < h; i++) {
                meanZ[i] += filteredSpikes[s][i] / t;
            }
            for (int k = 0; k < o; k++) {
                meanY[k] += targets[s][k] / t;
            }
        }
        DMatrixRMaj z = new DMatrixRMaj(t, h);
        DMatrixRMaj y = new DMatrixRMaj(t, o);
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < h; i++) {
                z.unsafe_set(s, i, filteredSpikes[s][i] - meanZ[i]);
            }
            for (int k = 0; k < o; k++) {
                y.unsafe_set(s, k, targets[s][k] - meanY[k]);
            }
        }
        DMatrixRMaj gram = new DMatrixRMaj(h, h);
        CommonOps_DDRM.multTransA(1.0 / t, z, z, gram);
        for (int i = 0; i < h; i++) {
            gram.add(i, i, ridge);
        }
        DMatrixRMaj cross = new DMatrixRMaj(h, o);
        CommonOps_DDRM.multTransA(1.0 / t, z, y, cross);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(h);
        if (!solver.setA(gram)) {
            throw new IllegalArgumentException("the readout problem is singular; use ridge > 0");
        }
        DMatrixRMaj wt = new DMatrixRMaj(h, o);
        solver.solve(cross, wt);
        double[] w = new double[o * h];
        double[] b = new double[o];
        for (int k = 0; k < o; k++) {
            double dot = 0.0;
            for (int i = 0; i < h; i++) {
                w[k * h + i] = wt.get(i, k);
                dot += wt.get(i, k) * meanZ[i];
            }
            b[k] = meanY[k] - dot;
        }
        return new double[][] {w, b};
    }

    private static void requireRow(double[] row, int width, String name, int index) {
        if (row.length != width) {
            throw new IllegalArgumentException(
                    name + "[" + index + "] has " + row.length + " values, expected " + width);
        }
        for (double v : row) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        name + "[" + index + "] has a non-finite value " + v);
            }
        }
    }
}
