package org.spikeloop.learn.jobs;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * Fits a leaky readout in closed form on the network's own filtered spikes, and chooses from the
 * data how much of the recent past to fit on and how strongly to regularise.
 *
 * <p>The readout y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b) equals W·z̄_t + b (after a start-up of a few
 * τ_out) with z̄_t = κ·z̄_{t−1} + (1 − κ)·z_t, so (W, b) solve the ridge problem of {@link
 * org.spikeloop.learn.readout.LeastSquaresReadout}: (Z̃ᵀZ̃/n + λI)·Wᵀ = Z̃ᵀỸ/n, b = ȳ − W·z̄̄ on
 * centred data, with λ = α·tr(Z̃ᵀZ̃/n)/H so that α is free of the spike traces' scale.
 *
 * <p>Recordings drift (tuning changes over minutes), so the most recent data can predict the next
 * minutes better than all of it. The training part is cut into {@link #BLOCKS} blocks in time plus
 * an inner validation part at its end; one pass over the data accumulates the sufficient statistics
 * of each block (n, Σz̄, Σy, Σz̄z̄ᵀ, Σz̄yᵀ, Σy²), so every span "the last k blocks" and every α can
 * be solved and scored on the validation part (R² from the same statistics) without running the
 * network again. The span and α with the best validation R² win (a longer span when within {@link
 * #TIE_R2}); the readout written is fitted on that span alone, so the validation part still scores
 * it honestly (and later training); {@link #refit} then fits on the span plus the validation part.
 *
 * <p>Rows are accumulated every {@code stride} frames (z̄ changes on the scale of τ_out, so the
 * Gram matrices lose little) to bound the cost at about {@link #MAX_ROWS}·H²/2 multiply-adds.
 *
 * <p>Control plane: allocates O(BLOCKS·H²) doubles; single-threaded.
 */
public final class ReadoutCalibration {
    /** Blocks the training part is cut into: the candidate spans are its last 1 … BLOCKS blocks. */
    public static final int BLOCKS = 8;

    /** Relative ridge strengths α tried. */
    static final double[] RELATIVE_RIDGES = {1e-3, 1e-2, 1e-1, 1.0};

    /** A longer span wins over a shorter one unless the shorter scores this much higher. */
    static final double TIE_R2 = 0.005;

    static final int MAX_ROWS = 40_000;

    /**
     * What was chosen.
     *
     * @param startFrame first frame of the training part the readout (and further training) uses
     * @param relativeRidge α
     * @param validationR2 mean R² on the inner validation part of the readout fitted without it
     * @param spanR2 best validation R² for the last k+1 blocks, k = 0 … BLOCKS−1
     */
    public record Choice(
            int startFrame, double relativeRidge, double validationR2, double[] spanR2) {}

    private ReadoutCalibration() {}

    /**
     * Chooses the span and ridge on {@code validationStart … end} and writes the readout fitted on
     * the chosen span plus the validation part into {@code params}.
     *
     * @param data the training part (standardised targets), time-ordered (not modified)
     * @param validationStart first frame of the inner validation part
     * @param params network parameters; {@code readout.w_out} and {@code readout.bias} replaced
     * @throws IllegalArgumentException when the readout is not leaky, or a part is too short
     */
    public static Choice calibrate(
            NetworkSpec spec, NetworkParams params, LabelledSequence data, int validationStart) {
        if (spec.readout().type() != org.spikeloop.snn.spec.ReadoutType.LEAKY) {
            throw new IllegalArgumentException(
                    "readout calibration needs a leaky readout, got " + spec.readout().type());
        }
        int frames = data.frames();
        if (validationStart < BLOCKS * 2 || frames - validationStart < 2) {
            throw new IllegalArgumentException(
                    "too little data to calibrate the readout: "
                            + validationStart
                            + " fit frames, "
                            + (frames - validationStart)
                            + " validation frames");
        }
        Stats[] blocks = accumulate(spec, params, data, validationStart);
        Stats validation = blocks[BLOCKS];
        int h = validation.h;
        double[] spanR2 = new double[BLOCKS];
        double[] spanAlpha = new double[BLOCKS];
        double max = Double.NEGATIVE_INFINITY;
        Stats span = new Stats(h, validation.o);
        for (int k = 0; k < BLOCKS; k++) { // the last k+1 blocks
            span.add(blocks[BLOCKS - 1 - k]);
            spanR2[k] = Double.NEGATIVE_INFINITY;
            for (double alpha : RELATIVE_RIDGES) {
                double[][] wb = span.solve(alpha);
                if (wb != null) {
                    double r2 = validation.r2(wb[0], wb[1]);
                    if (r2 > spanR2[k]) {
                        spanR2[k] = r2;
                        spanAlpha[k] = alpha;
                    }
                }
            }
            max = Math.max(max, spanR2[k]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "the readout problem is singular for every span: the hidden layer is silent");
        }
        int chosen = 0;
        for (int k = BLOCKS - 1; k >= 0; k--) { // the longest span within TIE_R2 of the best
            if (spanR2[k] >= max - TIE_R2) {
                chosen = k;
                break;
            }
        }
        int bestStart = BLOCKS - 1 - chosen;
        double bestAlpha = spanAlpha[chosen];
        double bestR2 = spanR2[chosen];
        Stats fit = new Stats(h, validation.o);
        for (int b = bestStart; b < BLOCKS; b++) {
            fit.add(blocks[b]);
        }
        write(fit.solve(bestAlpha), params);
        int startFrame = (int) ((long) validationStart * bestStart / BLOCKS);
        return new Choice(startFrame, bestAlpha, bestR2, spanR2);
    }

    /**
     * Fits the readout on frames [startFrame, end) of {@code data} with the relative ridge α (after
     * {@link #calibrate} chose them, to use the validation part too once nothing is left to
     * choose).
     *
     * @param params modified: {@code readout.w_out} and {@code readout.bias}
     * @throws IllegalArgumentException when the problem is singular (a silent hidden layer)
     */
    public static void refit(
            NetworkSpec spec,
            NetworkParams params,
            LabelledSequence data,
            int startFrame,
            double relativeRidge) {
        Stats[] parts = accumulate(spec, params, data, startFrame);
        double[][] wb = parts[BLOCKS].solve(relativeRidge);
        if (wb == null) {
            throw new IllegalArgumentException(
                    "the readout problem is singular: the hidden layer is silent");
        }
        write(wb, params);
    }

    private static void write(double[][] wb, NetworkParams params) {
        System.arraycopy(
                wb[0], 0, params.get(ParameterNames.READOUT_WEIGHT).data(), 0, wb[0].length);
        System.arraycopy(wb[1], 0, params.get(ParameterNames.READOUT_BIAS).data(), 0, wb[1].length);
    }

    /** One pass: the statistics of each block and (index BLOCKS) of the validation part. */
    private static Stats[] accumulate(
            NetworkSpec spec, NetworkParams params, LabelledSequence data, int validationStart) {
        FloatNetwork net = new FloatNetwork(spec, params);
        LayerState last = net.layer(net.layerCount() - 1);
        int h = last.size();
        int c = data.channels();
        int o = data.outputs();
        int frames = data.frames();
        int stride = Math.max(1, (frames + MAX_ROWS - 1) / MAX_ROWS);
        double kappa = spec.readout().kappa(spec.dtMs());
        Stats[] stats = new Stats[BLOCKS + 1];
        for (int b = 0; b <= BLOCKS; b++) {
            stats[b] = new Stats(h, o);
        }
        float[] in = new float[c];
        float[] out = new float[o];
        double[] trace = new double[h];
        double[] x = data.x();
        double[] y = data.y();
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < c; i++) {
                in[i] = (float) x[f * c + i];
            }
            net.step(in, out);
            for (int j = 0; j < h; j++) {
                trace[j] = kappa * trace[j] + (1.0 - kappa) * last.z(j);
            }
            if (f % stride == 0) {
                int b = f >= validationStart ? BLOCKS : (int) ((long) f * BLOCKS / validationStart);
                stats[b].addRow(trace, y, f * o);
            }
        }
        return stats;
    }

    /** Sufficient statistics of a least-squares readout over some rows. */
    private static final class Stats {
        final int h;
        final int o;
        long n;
        final double[] sz;
        final double[] sy;
        final double[] syy;
        final double[] szz; // upper triangle of Σz̄z̄ᵀ, row-major h×h
        final double[] szy; // h×o

        Stats(int h, int o) {
            this.h = h;
            this.o = o;
            this.sz = new double[h];
            this.sy = new double[o];
            this.syy = new double[o];
            this.szz = new double[h * h];
            this.szy = new double[h * o];
        }

        void addRow(double[] z, double[] y, int yOffset) {
            n++;
            for (int k = 0; k < o; k++) {
                double v = y[yOffset + k];
                sy[k] += v;
                syy[k] += v * v;
            }
            for (int i = 0; i < h; i++) {
                double zi = z[i];
                if (zi == 0.0) {
                    continue;
                }
                sz[i] += zi;
                int row = i * h;
                for (int j = i; j < h; j++) {
                    szz[row + j] += zi * z[j];
                }
                for (int k = 0; k < o; k++) {
                    szy[i * o + k] += zi * y[yOffset + k];
                }
            }
        }

        void add(Stats s) {
            n += s.n;
            for (int i = 0; i < sz.length; i++) {
                sz[i] += s.sz[i];
            }
            for (int i = 0; i < szz.length; i++) {
                szz[i] += s.szz[i];
            }
            for (int i = 0; i < szy.length; i++) {
                szy[i] += s.szy[i];
            }
            for (int k = 0; k < o; k++) {
                sy[k] += s.sy[k];
                syy[k] += s.syy[k];
            }
        }

        /** {W [o×h], b [o]} of the centred ridge problem, or null when it is singular. */
        double[][] solve(double alpha) {
            if (n < 2) {
                return null;
            }
            double[] mz = new double[h];
            for (int i = 0; i < h; i++) {
                mz[i] = sz[i] / n;
            }
            DMatrixRMaj gram = new DMatrixRMaj(h, h);
            double trace = 0;
            for (int i = 0; i < h; i++) {
                for (int j = i; j < h; j++) {
                    double g = szz[i * h + j] / n - mz[i] * mz[j];
                    gram.unsafe_set(i, j, g);
                    gram.unsafe_set(j, i, g);
                }
                trace += gram.unsafe_get(i, i);
            }
            if (!(trace > 0)) {
                return null;
            }
            double lambda = alpha * trace / h;
            for (int i = 0; i < h; i++) {
                gram.add(i, i, lambda);
            }
            DMatrixRMaj cross = new DMatrixRMaj(h, o);
            for (int i = 0; i < h; i++) {
                for (int k = 0; k < o; k++) {
                    cross.unsafe_set(i, k, szy[i * o + k] / n - mz[i] * sy[k] / n);
                }
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(h);
            if (!solver.setA(gram)) {
                return null;
            }
            DMatrixRMaj wt = new DMatrixRMaj(h, o);
            solver.solve(cross, wt);
            double[] w = new double[o * h];
            double[] b = new double[o];
            for (int k = 0; k < o; k++) {
                double dot = 0;
                for (int i = 0; i < h; i++) {
                    w[k * h + i] = wt.unsafe_get(i, k);
                    dot += w[k * h + i] * mz[i];
                }
                b[k] = sy[k] / n - dot;
            }
            return new double[][] {w, b};
        }

        /**
         * Mean R² over outputs of ŷ = W·z̄ + b on these rows, from the statistics: SSE_k = Σy² −
         * 2·w·Σz̄y − 2b·Σy + wᵀΣz̄z̄ᵀw + 2b·w·Σz̄ + n·b².
         */
        double r2(double[] w, double[] b) {
            double total = 0;
            for (int k = 0; k < o; k++) {
                double wzy = 0;
                double wz = 0;
                double quad = 0;
                for (int i = 0; i < h; i++) {
                    double wi = w[k * h + i];
                    wzy += wi * szy[i * o + k];
                    wz += wi * sz[i];
                    double row = szz[i * h + i] * wi;
                    for (int j = i + 1; j < h; j++) {
                        row += 2.0 * szz[i * h + j] * w[k * h + j];
                    }
                    quad += wi * row;
                }
                double sse =
                        syy[k]
                                - 2 * wzy
                                - 2 * b[k] * sy[k]
                                + quad
                                + 2 * b[k] * wz
                                + n * b[k] * b[k];
                double sst = syy[k] - sy[k] * sy[k] / n;
                total += sst > 0 ? 1.0 - sse / sst : 0.0;
            }
            return total / o;
        }
    }
}
