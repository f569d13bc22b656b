package org.spikeloop.learn.eprop;

import java.util.Arrays;

/**
 * The per-synapse state of the float learner, [P][H] float32 (row i = presynaptic i, see {@link
 * SynapticRows}): the gradient sum g_ji (Bellec et al. 2020, Methods eq. (28): Σ_t L_j·ē_ji +
 * R_j·e_ji), the κ-filtered eligibility trace ē_ji and, for ALIF, the adaptive eligibility vector
 * ε^a_ji (eq. (25)); and the merge that advances one row of them over a whole closed window with
 * the window's coefficients ({@link WindowCoefficients}, whose javadoc states the three update
 * equations):
 *
 * <pre>
 *   g_ji  += cGe_j·ē_ji + cGa_j·ε^a_ji + cGv_j·ε_i(t0) + Σ_u p_i^u·mG_j^u
 *   ē_ji   = κⁿ·ē_ji    + cEa_j·ε^a_ji + cEv_j·ε_i(t0) + Σ_u p_i^u·mE_j^u
 *   ε^a_ji =              cAa_j·ε^a_ji + cAv_j·ε_i(t0) + Σ_u p_i^u·mA_j^u
 * </pre>
 *
 * A row costs ~3 (LIF) or ~8 (ALIF) multiply-adds per synapse for the decay terms plus one row-axpy
 * per step u at which p_i ≠ 0 (the window's bit mask says which).
 *
 * <p>Single owner (the engine thread). Allocation: none after construction.
 */
final class SynapseMerge {
    private final int neurons;
    private final int presynaptic;
    private final boolean alif;
    private final float[] g;
    private final float[] eBar;
    private final float[] epsA;

    /**
     * @param presynaptic P
     * @param neurons H
     * @param alif whether ε^a is carried per synapse
     */
    SynapseMerge(int presynaptic, int neurons, boolean alif) {
        this.presynaptic = presynaptic;
        this.neurons = neurons;
        this.alif = alif;
        int synapses = presynaptic * neurons;
        g = new float[synapses];
        eBar = new float[synapses];
        epsA = alif ? new float[synapses] : null;
    }

    /**
     * Advances row i over the closed window in {@code slot}.
     *
     * @param slot the window's slot
     * @param i the presynaptic row
     * @param window the slot's recording (not modified, except row i's mask words, which are
     *     cleared: the slot is ready for its next window)
     * @param coefficients the slot's coefficients, complete for every neuron (not modified)
     */
    void mergeRow(int slot, int i, WindowBuffers window, WindowCoefficients coefficients) {
        final int hh = neurons;
        final int base = i * hh;
        final float ev0 = window.epsilonStart(slot)[i];
        final float[] gg = g;
        final float[] eb = eBar;
        final float kw = window.kappaPower(slot);
        final float[] ge = coefficients.gradientFromTrace(slot);
        final float[] gv = coefficients.gradientFromEpsilon(slot);
        final float[] ee = coefficients.traceFromEpsilon(slot);
        if (alif) {
            final float[] ea = epsA;
            final float[] ga = coefficients.gradientFromAdaptation(slot);
            final float[] ba = coefficients.traceFromAdaptation(slot);
            final float[] aa = coefficients.adaptationFromAdaptation(slot);
            final float[] av = coefficients.adaptationFromEpsilon(slot);
            for (int j = 0; j < hh; j++) {
                float eOld = eb[base + j];
                float aOld = ea[base + j];
                gg[base + j] += ge[j] * eOld + ga[j] * aOld + gv[j] * ev0;
                eb[base + j] = kw * eOld + ba[j] * aOld + ee[j] * ev0;
                ea[base + j] = aa[j] * aOld + av[j] * ev0;
            }
        } else {
            for (int j = 0; j < hh; j++) {
                float eOld = eb[base + j];
                gg[base + j] += ge[j] * eOld + gv[j] * ev0;
                eb[base + j] = kw * eOld + ee[j] * ev0;
            }
        }
        final float[] p = window.presynapticValues(slot);
        final long[] nz = window.nonZero(slot);
        final int words = window.maskWords();
        final int pre = presynaptic;
        final float[] mg = coefficients.gradientPerStep(slot);
        final float[] me = coefficients.tracePerStep(slot);
        final float[] ma = coefficients.adaptationPerStep(slot);
        for (int wd = 0; wd < words; wd++) {
            long bits = nz[i * words + wd];
            nz[i * words + wd] = 0L;
            while (bits != 0L) { // spikes are sparse: most rows have few non-zero steps
                int q = (wd << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                float pv = p[q * pre + i];
                int off = q * hh;
                for (int j = 0; j < hh; j++) {
                    gg[base + j] += pv * mg[off + j];
                    eb[base + j] += pv * me[off + j];
                }
                if (alif) {
                    final float[] ea = epsA;
                    for (int j = 0; j < hh; j++) {
                        ea[base + j] += pv * ma[off + j];
                    }
                }
            }
        }
    }

    /** Zeroes ē and ε^a (the gradient is kept): the next window starts from zero traces. */
    void resetTraces() {
        Arrays.fill(eBar, 0f);
        if (epsA != null) {
            Arrays.fill(epsA, 0f);
        }
    }

    /** Zeroes ē, ε^a and g (an abandoned update: they may hold what made it non-finite). */
    void clear() {
        resetTraces();
        Arrays.fill(g, 0f);
    }

    /** The gradient sums g, [P][H] (live: the update reads and zeroes its rows). */
    float[] gradient() {
        return g;
    }

    /** ē_ji. */
    float trace(int i, int j) {
        return eBar[i * neurons + j];
    }

    /** ε^a_ji (ALIF; 0 for LIF). */
    float adaptation(int i, int j) {
        return epsA == null ? 0f : epsA[i * neurons + j];
    }
}
