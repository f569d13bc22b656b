package org.spikeloop.learn.eprop;

import java.util.Arrays;
import org.spikeloop.learn.optim.AdamKernel;

/**
 * The optimiser step of the learned layer's synaptic rows (input, recurrent and bias weights): w ←
 * w − η_g·g with SGD, or {@link AdamKernel}'s step (Kingma &amp; Ba 2015, Algorithm 1) with Adam,
 * each |Δw| clipped to {@code maxWeightChange}, autapses kept at 0, and the accumulated gradient g
 * of the row zeroed. η_g is the group's configured rate times the learning-rate scale latched when
 * the update fell due. The row's snapshot, the non-finite abandon and the norm guard are {@link
 * WeightGuard}'s.
 *
 * <p>An update falls due with a window ({@link #due}: the rate scale and Adam's bias corrections of
 * step t are latched for it, and the readout uses the same), and its rows land over the next steps
 * ({@link #begin}, {@link #applyRow} per row, {@link #finish}), each right after the row's merge
 * while it is in cache. Non-finite values are found branch-free (x·0 is 0 for finite x, NaN
 * otherwise) so the loops stay vectorisable.
 *
 * <p>Single owner (the engine thread). Allocation: none after construction.
 */
final class SynapticUpdate {
    private final SynapticRows rows;
    private final WeightGuard guard;
    private final boolean adam;
    private final double[] groupRate = new double[SynapticRows.GROUPS];
    private final float maxChange;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final double beta1Double;
    private final double beta2Double;
    private final float[] adamM; // [P][H]
    private final float[] adamS;
    // Row i's Adam moments before its step, restored if the row turns out non-finite.
    private final float[] savedM;
    private final float[] savedS;
    // The learning-rate scale and Adam bias corrections latched when an update fell due.
    private final double[] slotScale;
    private final double[] slotC1;
    private final double[] slotC2;
    private double learningRateScale = 1.0;
    private long adamSteps;
    private double applyScale = 1.0;
    private double applyC1 = 1.0;
    private double applyC2 = 1.0;
    private long updatesApplied;

    /**
     * @param rows the live weights
     * @param guard the guard of these rows
     * @param config rates, optimiser, Adam's β₁, β₂, ε and {@code maxWeightChange}
     * @param slots window buffers in the ring (an update is latched per slot)
     */
    SynapticUpdate(SynapticRows rows, WeightGuard guard, EpropConfig config, int slots) {
        this.rows = rows;
        this.guard = guard;
        this.adam = config.optimizer() == OptimizerKind.ADAM;
        groupRate[SynapticRows.INPUT] = config.lrInput();
        groupRate[SynapticRows.RECURRENT] = config.lrRecurrent();
        groupRate[SynapticRows.BIAS] = config.lrBias();
        this.maxChange = (float) Math.min(config.maxWeightChange(), Float.MAX_VALUE);
        this.beta1Double = config.adamBeta1();
        this.beta2Double = config.adamBeta2();
        this.beta1 = (float) beta1Double;
        this.beta2 = (float) beta2Double;
        this.epsilon = (float) config.adamEpsilon();
        int h = rows.neurons();
        int synapses = rows.count() * h;
        adamM = adam ? new float[synapses] : null;
        adamS = adam ? new float[synapses] : null;
        savedM = adam ? new float[h] : null;
        savedS = adam ? new float[h] : null;
        slotScale = new double[slots];
        slotC1 = new double[slots];
        slotC2 = new double[slots];
    }

    /** Scales every group's rate from the next update that falls due on (in [0, 1], checked). */
    void learningRateScale(double scale) {
        learningRateScale = scale;
    }

    double learningRateScale() {
        return learningRateScale;
    }

    /**
     * An update falls due with the window in {@code slot}: latches the rate scale and, with Adam,
     * counts step t and latches c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
     */
    void due(int slot) {
        slotScale[slot] = learningRateScale;
        if (adam) {
            adamSteps++;
            slotC1[slot] = AdamKernel.biasCorrection(beta1Double, adamSteps);
            slotC2[slot] = AdamKernel.biasCorrection(beta2Double, adamSteps);
        }
    }

    /** The rate scale latched for the update of {@code slot}. */
    double scale(int slot) {
        return slotScale[slot];
    }

    /** c₁ latched for the update of {@code slot} (Adam only; unused with SGD). */
    double c1(int slot) {
        return slotC1[slot];
    }

    /** c₂ latched for the update of {@code slot}. */
    double c2(int slot) {
        return slotC2[slot];
    }

    /** The rows of the update latched for {@code slot} start. */
    void begin(int slot) {
        guard.begin();
        applyScale = slotScale[slot];
        applyC1 = slotC1[slot];
        applyC2 = slotC2[slot];
    }

    /**
     * Applies and zeroes the gradient of presynaptic row i, in one pass over the row (SGD) or the
     * kernel's plus a check (Adam); after an abandon, only zeroes it.
     *
     * @param i the row
     * @param g the gradient sums [P][H]; row i is read and zeroed (modified)
     */
    void applyRow(int i, float[] g) {
        final int hh = rows.neurons();
        final int base = i * hh;
        final float[] gg = g;
        if (guard.aborted()) {
            Arrays.fill(gg, base, base + hh, 0f);
            return;
        }
        final float[] w = rows.array(i);
        final int off = rows.offset(i);
        final int group = rows.group(i);
        final float lr = (float) (applyScale * groupRate[group]);
        final float maxStep = maxChange;
        final boolean clip = maxStep < Float.MAX_VALUE;
        guard.save(i);
        float check = 0f;
        if (adam) {
            final float[] m = adamM;
            final float[] s = adamS;
            System.arraycopy(m, base, savedM, 0, hh);
            System.arraycopy(s, base, savedS, 0, hh);
            AdamKernel.update(
                    w,
                    off,
                    gg,
                    m,
                    s,
                    base,
                    hh,
                    lr,
                    beta1,
                    beta2,
                    epsilon,
                    (float) applyC1,
                    (float) applyC2,
                    maxStep);
            for (int j = 0; j < hh; j++) {
                check += w[off + j] * 0f + gg[base + j] * 0f;
                gg[base + j] = 0f;
            }
            if (check != 0f) {
                // The row's moments took the non-finite step too: back to the last good ones.
                System.arraycopy(savedM, 0, m, base, hh);
                System.arraycopy(savedS, 0, s, base, hh);
            }
        } else if (clip) {
            for (int j = 0; j < hh; j++) {
                float gr = gg[base + j];
                float nw = w[off + j] + Math.max(-maxStep, Math.min(maxStep, -lr * gr));
                check += nw * 0f + gr * 0f;
                w[off + j] = nw;
                gg[base + j] = 0f;
            }
        } else {
            for (int j = 0; j < hh; j++) {
                float gr = gg[base + j];
                float nw = w[off + j] - lr * gr;
                check += nw * 0f + gr * 0f;
                w[off + j] = nw;
                gg[base + j] = 0f;
            }
        }
        if (check != 0f) {
            guard.abandon(i + 1); // this row was written too: restore it with the others
            return;
        }
        int diagonal = rows.diagonal(i);
        if (diagonal >= 0) {
            w[off + diagonal] = 0f; // no autapses
        }
        guard.addNorm(i);
    }

    /**
     * The update's last row is done.
     *
     * @return false if it was abandoned (a non-finite row; the weights are the last good ones)
     */
    boolean finish() {
        if (!guard.finish()) {
            return false;
        }
        updatesApplied++;
        return true;
    }

    /** Updates applied to the synaptic weights. */
    long updatesApplied() {
        return updatesApplied;
    }
}
