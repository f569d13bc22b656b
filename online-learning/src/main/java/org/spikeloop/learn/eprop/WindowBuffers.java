package org.spikeloop.learn.eprop;

import java.util.Arrays;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.surrogate.Surrogate;
import org.spikeloop.snn.surrogate.SurrogateKind;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * The ring of window buffers: what each step of a window records for the learner's later
 * per-synapse work, and the per-presynaptic traces that carry over from one window to the next
 * (Bellec et al. 2020, Methods; equation numbers below are that paper's). A slot holds one window
 * of up to W steps; step q of the window that is filling writes:
 *
 * <ul>
 *   <li>the presynaptic values p_t = [x_t, 1 (bias), z_{t−1} (recurrent)] as row q of a [W][P]
 *       array, and bit q of row i's mask when p_i ≠ 0 (the merge visits only those steps; spikes
 *       are sparse);
 *   <li>the presynaptic trace ε_i ← α·ε_i + p_i: with the subtractive reset the membrane
 *       eligibility vector ε^v_ji (eqs. (14)/(24)) does not depend on the postsynaptic j, so one
 *       trace per row i stands for the whole row;
 *   <li>the pseudo-derivative ψ_t,j = surrogate'(v_t,j − A_t,j), 0 while refractory (eq. (17));
 *   <li>on a learning step, the learning signal L_t,j = Σ_k B_jk·err_k (eq. (28)) and the
 *       regulariser's R_t,j (eq. (38)); zeros on a step that does not learn.
 * </ul>
 *
 * When the window closes after n steps, {@link #close} stores κⁿ (ē's own decay over the window)
 * and the start values of the next window: ε_i(t0) and ψ_{t0}.
 *
 * <p>Single owner (the engine thread); the coefficient recursion and the merge read a closed slot
 * through the accessors (live arrays, not copies). Allocation: none after construction.
 */
final class WindowBuffers {
    private final int slots;
    private final int inputs;
    private final int neurons;
    private final int presynaptic;
    private final boolean recurrent;
    private final int maskWords;
    private final float alpha;
    private final float kappa;
    private final Surrogate surrogate;
    private final boolean triangle;
    private final float triangleScale;
    private final float triangleInverseWidth;

    private final float[] epsilon; // ε_i, [P]
    private final float[] psi; // ψ of the last step, [H]
    private final float[][] p; // [slot][W·P]: step q writes one contiguous row
    private final long[][] nonZero; // [slot][P·maskWords]: bit q of row i: p_i ≠ 0 at step q
    private final float[][] psiSteps; // [slot][W·H]
    private final float[][] learningSignal; // [slot][W·H]
    private final float[][] regularizerSignal; // [slot][W·H], or [slot][0] without regulariser
    private final float[][] psiStart; // [slot][H]: ψ_{t0}
    private final float[][] epsilonStart; // [slot][P]: ε_i(t0)
    private final float[] kappaPower; // κⁿ per slot

    /**
     * @param slots window buffers in the ring
     * @param window W, the most steps a window holds
     * @param inputs the number of inputs
     * @param neurons H
     * @param recurrent whether z_{t−1} is presynaptic (P = inputs + 1 + H) or not (inputs + 1)
     * @param regularise whether R_t is recorded
     * @param alpha α = e^(−dt/τ_m), the membrane decay
     * @param kappa κ = e^(−dt/τ_out), the readout's decay
     * @param surrogate the layer's surrogate (the triangle takes an inlined path)
     */
    WindowBuffers(
            int slots,
            int window,
            int inputs,
            int neurons,
            boolean recurrent,
            boolean regularise,
            float alpha,
            float kappa,
            SurrogateSpec surrogate) {
        this.slots = slots;
        this.inputs = inputs;
        this.neurons = neurons;
        this.recurrent = recurrent;
        this.presynaptic = inputs + 1 + (recurrent ? neurons : 0);
        this.maskWords = (window + 63) >>> 6;
        this.alpha = alpha;
        this.kappa = kappa;
        this.surrogate = surrogate.create();
        this.triangle = SurrogateKind.byName(surrogate.name()) == SurrogateKind.TRIANGLE;
        this.triangleScale = (float) (surrogate.gain() / surrogate.scale());
        this.triangleInverseWidth = (float) (1.0 / surrogate.scale());
        epsilon = new float[presynaptic];
        psi = new float[neurons];
        p = new float[slots][presynaptic * window];
        nonZero = new long[slots][presynaptic * maskWords];
        psiSteps = new float[slots][window * neurons];
        learningSignal = new float[slots][window * neurons];
        regularizerSignal = new float[slots][regularise ? window * neurons : 0];
        psiStart = new float[slots][neurons];
        epsilonStart = new float[slots][presynaptic];
        kappaPower = new float[slots];
    }

    /**
     * Records p_t as row q of the slot, marks its non-zero values and advances ε_i.
     *
     * @param slot the slot that is filling
     * @param q the step's position in the window
     * @param x the input x_t (not modified)
     * @param layer the layer's state after its step (z_{t−1}; not modified)
     */
    void recordPresynaptic(int slot, int q, float[] x, LayerState layer) {
        final float[] pp = p[slot];
        final int row = q * presynaptic;
        final long[] nz = nonZero[slot];
        final int mw = maskWords;
        final int word = q >>> 6;
        final long bit = 1L << q;
        final float[] ev = epsilon;
        final float a = alpha;
        for (int i = 0; i < inputs; i++) {
            float pi = x[i];
            pp[row + i] = pi;
            ev[i] = a * ev[i] + pi;
            if (pi != 0f) {
                nz[i * mw + word] |= bit;
            }
        }
        pp[row + inputs] = 1f;
        nz[inputs * mw + word] |= bit;
        ev[inputs] = a * ev[inputs] + 1f;
        if (recurrent) {
            final int off = inputs + 1;
            for (int j = 0; j < neurons; j++) {
                float zp = layer.zPrev(j);
                pp[row + off + j] = zp;
                ev[off + j] = a * ev[off + j] + zp;
                if (zp != 0f) {
                    nz[(off + j) * mw + word] |= bit;
                }
            }
        }
    }

    /**
     * ψ_t = surrogate'(v_t − A_t), 0 while refractory (eq. (17)), kept as the last step's ψ and
     * recorded as row q of the slot.
     *
     * @param slot the slot that is filling
     * @param q the step's position in the window
     * @param layer the layer's state after its step (not modified)
     */
    void recordPseudoDerivatives(int slot, int q, LayerState layer) {
        final float[] ps = psi;
        final int h = neurons;
        if (triangle) {
            final float sc = triangleScale;
            final float iw = triangleInverseWidth;
            for (int j = 0; j < h; j++) {
                float t = 1f - Math.abs(layer.v(j) - layer.effectiveThreshold(j)) * iw;
                ps[j] = layer.wasRefractory(j) ? 0f : (t > 0f ? sc * t : 0f);
            }
        } else {
            for (int j = 0; j < h; j++) {
                ps[j] =
                        layer.wasRefractory(j)
                                ? 0f
                                : (float)
                                        surrogate.derivative(
                                                layer.v(j) - layer.effectiveThreshold(j));
            }
        }
        System.arraycopy(ps, 0, psiSteps[slot], q * h, h);
    }

    /**
     * Records step q's learning signals: L_t and R_t on a learning step, zeros otherwise.
     *
     * @param slot the slot that is filling
     * @param q the step's position in the window
     * @param signal L_t [H] (not modified), or null when the step does not learn
     * @param regularizer the regulariser (R_t), or null when there is none
     */
    void recordSignals(int slot, int q, float[] signal, FiringRateRegularizer regularizer) {
        final int h = neurons;
        final int row = q * h;
        if (signal != null) {
            System.arraycopy(signal, 0, learningSignal[slot], row, h);
            if (regularizer != null) {
                regularizer.signal(regularizerSignal[slot], row);
            }
        } else {
            Arrays.fill(learningSignal[slot], row, row + h, 0f);
            if (regularizer != null) {
                Arrays.fill(regularizerSignal[slot], row, row + h, 0f);
            }
        }
    }

    /**
     * Closes the slot after n steps: stores κⁿ and latches ε_i and ψ as the start values of the
     * slot that fills next.
     */
    void close(int slot, int steps, int next) {
        if (steps > 0) {
            float kn = 1f;
            for (int q = 0; q < steps; q++) {
                kn *= kappa; // ē's own decay over the window
            }
            kappaPower[slot] = kn;
        }
        System.arraycopy(epsilon, 0, epsilonStart[next], 0, presynaptic);
        System.arraycopy(psi, 0, psiStart[next], 0, neurons);
    }

    /** Forgets the slot's non-zero marks (a window dropped unmerged). */
    void discard(int slot) {
        Arrays.fill(nonZero[slot], 0L);
    }

    /**
     * Zeroes ε_i and ψ, and the start values of the slot that is filling: it starts from zero
     * traces (after an input gap, or a state reset).
     */
    void resetTraces(int fillingSlot) {
        Arrays.fill(epsilon, 0f);
        Arrays.fill(psi, 0f);
        Arrays.fill(epsilonStart[fillingSlot], 0f);
        Arrays.fill(psiStart[fillingSlot], 0f);
    }

    /** Zeroes ε_i only (an abandoned update: the traces may hold what made it non-finite). */
    void clearPresynapticTraces() {
        Arrays.fill(epsilon, 0f);
    }

    int slots() {
        return slots;
    }

    /** P, the width of p_t. */
    int presynaptic() {
        return presynaptic;
    }

    /** 64-bit words per row of a slot's mask: ⌈W/64⌉. */
    int maskWords() {
        return maskWords;
    }

    /** The slot's p, [W][P] (live). */
    float[] presynapticValues(int slot) {
        return p[slot];
    }

    /** The slot's non-zero marks, [P][maskWords] (live; the merge clears a row's as it goes). */
    long[] nonZero(int slot) {
        return nonZero[slot];
    }

    /** The slot's ψ, [W][H] (live). */
    float[] pseudoDerivatives(int slot) {
        return psiSteps[slot];
    }

    /** The slot's L, [W][H] (live). */
    float[] learningSignals(int slot) {
        return learningSignal[slot];
    }

    /** The slot's R, [W][H] (live; empty without regulariser). */
    float[] regularizerSignals(int slot) {
        return regularizerSignal[slot];
    }

    /** ψ_{t0} of the slot, [H] (live). */
    float[] psiStart(int slot) {
        return psiStart[slot];
    }

    /** ε_i(t0) of the slot, [P] (live). */
    float[] epsilonStart(int slot) {
        return epsilonStart[slot];
    }

    /** κⁿ of the closed slot. */
    float kappaPower(int slot) {
        return kappaPower[slot];
    }

    /** ε_i now. */
    float epsilon(int i) {
        return epsilon[i];
    }

    /** ψ_j of the last step. */
    float psi(int j) {
        return psi[j];
    }
}
