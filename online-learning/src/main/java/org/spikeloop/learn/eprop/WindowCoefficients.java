package org.spikeloop.learn.eprop;

/**
 * The per-neuron coefficients of a closed window: the backward (adjoint) recursions that let the
 * float learner apply a whole window of e-prop to each synapse in one pass (Bellec et al. 2020,
 * Methods eqs. (13)–(14), (17), (24)–(26), (28), (38); the rule itself is stated in {@link
 * EpropReference}).
 *
 * <p>Over a window of n steps t0+1..t1, with the subtractive reset (ε^v_ji = ε_i, one trace per
 * presynaptic row, {@link WindowBuffers}), every per-synapse quantity at t1 is linear in its value
 * at t0, in ε_i(t0) and in the raw presynaptic values p_i^u of the window:
 *
 * <pre>
 *   g_ji  += cGe_j·ē_ji + cGa_j·ε^a_ji + cGv_j·ε_i(t0) + Σ_u p_i^u·mG_j^u      (gradient sum, eq. (28))
 *   ē_ji   = κⁿ·ē_ji    + cEa_j·ε^a_ji + cEv_j·ε_i(t0) + Σ_u p_i^u·mE_j^u      (κ-filtered trace)
 *   ε^a_ji =              cAa_j·ε^a_ji + cAv_j·ε_i(t0) + Σ_u p_i^u·mA_j^u      (ALIF, eq. (25))
 * </pre>
 *
 * The coefficients are the adjoints of the forward recursions ε^v_t = α·ε^v_{t−1} + p_t, ε^a_t =
 * ψ_{t−1}·ε^v_{t−1} + (ρ − β·ψ_{t−1})·ε^a_{t−1}, e_t = ψ_t·(ε^v_t − β·ε^a_t), ē_t = κ·ē_{t−1} +
 * c·e_t and g += L_t·ē_t + R_t·e_t, run backward over the window's ψ, L and R: O(n) per neuron, and
 * each neuron's recursion is independent, so {@link #compute} takes a range of neurons and the
 * {@link WindowSchedule} spreads a window's O(n·H) over several steps. {@link SynapseMerge} applies
 * them.
 *
 * <p>Single owner (the engine thread). Allocation: none after construction; each slot's
 * coefficients live here until its merge is done.
 */
final class WindowCoefficients {
    private final int neurons;
    private final boolean alif;
    private final boolean regularise;
    private final float alpha;
    private final float rho;
    private final float beta;
    private final float kappa;
    private final float filterGain;
    private final float[][] mG; // [slot][W·H]
    private final float[][] mE;
    private final float[][] mA;
    private final float[][] cGe; // [slot][H]
    private final float[][] cGa;
    private final float[][] cGv;
    private final float[][] cEa;
    private final float[][] cEv;
    private final float[][] cAa;
    private final float[][] cAv;

    /**
     * @param slots window buffers in the ring
     * @param window W
     * @param neurons H
     * @param alif whether the layer adapts (ε^a and its coefficients exist)
     * @param regularise whether R_t enters the gradient
     * @param alpha α = e^(−dt/τ_m)
     * @param rho ρ = e^(−dt/τ_a) (ALIF)
     * @param beta β, the adaptation strength (0 for LIF)
     * @param kappa κ = e^(−dt/τ_out)
     * @param filterGain c, the κ filter's input factor (1 − κ, or 1 in NEST-compatible mode)
     */
    WindowCoefficients(
            int slots,
            int window,
            int neurons,
            boolean alif,
            boolean regularise,
            float alpha,
            float rho,
            float beta,
            float kappa,
            float filterGain) {
        this.neurons = neurons;
        this.alif = alif;
        this.regularise = regularise;
        this.alpha = alpha;
        this.rho = rho;
        this.beta = beta;
        this.kappa = kappa;
        this.filterGain = filterGain;
        mG = new float[slots][window * neurons];
        mE = new float[slots][window * neurons];
        mA = new float[slots][alif ? window * neurons : 0];
        cGe = new float[slots][neurons];
        cGa = new float[slots][neurons];
        cGv = new float[slots][neurons];
        cEa = new float[slots][neurons];
        cEv = new float[slots][neurons];
        cAa = new float[slots][alif ? neurons : 0];
        cAv = new float[slots][alif ? neurons : 0];
    }

    /**
     * The backward recursions of neurons [from, to) over the closed window in {@code slot}.
     *
     * @param slot the window's slot; its coefficients are written here (modified)
     * @param steps n, the window's length (&ge; 1)
     * @param from first neuron
     * @param to one past the last neuron
     * @param window the recorded ψ, L, R and ψ_{t0} of the slot (not modified)
     */
    void compute(int slot, int steps, int from, int to, WindowBuffers window) {
        final int hh = neurons;
        final int n = steps;
        final float[] ps = window.pseudoDerivatives(slot);
        final float[] lb = window.learningSignals(slot);
        final float[] rb = window.regularizerSignals(slot);
        final float[] p0 = window.psiStart(slot);
        final float a = alpha;
        final float r = rho;
        final float b = beta;
        final float kk = kappa;
        final float cc = filterGain;
        final float[] mg = mG[slot];
        final float[] me = mE[slot];
        final float[] ma = mA[slot];
        for (int j = from; j < to; j++) {
            // Target g (sum over the window).
            float lam = 0f;
            float lv = 0f;
            float la = 0f;
            // Target ē(t1).
            float ebarAdj = 1f;
            float ev = 0f;
            float ea = 0f;
            for (int q = n - 1; q >= 0; q--) {
                int idx = q * hh + j;
                float sp = ps[idx];
                lam = lb[idx] + kk * lam;
                float qg = (regularise ? rb[idx] : 0f) + cc * lam;
                float lvNew = sp * qg + a * lv + sp * la;
                la = -b * sp * qg + (r - b * sp) * la;
                lv = lvNew;
                mg[idx] = lv;
                float qe = cc * ebarAdj;
                float evNew = sp * qe + a * ev + sp * ea;
                ea = -b * sp * qe + (r - b * sp) * ea;
                ev = evNew;
                me[idx] = ev;
                ebarAdj *= kk;
            }
            float s0 = p0[j];
            cGe[slot][j] = kk * lam;
            cGv[slot][j] = a * lv + s0 * la;
            cGa[slot][j] = (r - b * s0) * la;
            cEv[slot][j] = a * ev + s0 * ea;
            cEa[slot][j] = (r - b * s0) * ea;
            if (alif) {
                float av = 0f;
                float aa = 1f;
                ma[(n - 1) * hh + j] = 0f;
                for (int q = n - 2; q >= 0; q--) {
                    float sp = ps[q * hh + j];
                    float avNew = a * av + sp * aa;
                    aa = (r - b * sp) * aa;
                    av = avNew;
                    ma[q * hh + j] = av;
                }
                cAv[slot][j] = a * av + s0 * aa;
                cAa[slot][j] = (r - b * s0) * aa;
            }
        }
    }

    /** mG of the slot, [W][H]: the gradient's weight of p_i at each step. */
    float[] gradientPerStep(int slot) {
        return mG[slot];
    }

    /** mE of the slot, [W][H]: ē(t1)'s weight of p_i at each step. */
    float[] tracePerStep(int slot) {
        return mE[slot];
    }

    /** mA of the slot, [W][H] (ALIF; empty otherwise): ε^a(t1)'s weight of p_i at each step. */
    float[] adaptationPerStep(int slot) {
        return mA[slot];
    }

    /** cGe: g's weight of ē(t0). */
    float[] gradientFromTrace(int slot) {
        return cGe[slot];
    }

    /** cGa: g's weight of ε^a(t0). */
    float[] gradientFromAdaptation(int slot) {
        return cGa[slot];
    }

    /** cGv: g's weight of ε_i(t0). */
    float[] gradientFromEpsilon(int slot) {
        return cGv[slot];
    }

    /** cEa: ē(t1)'s weight of ε^a(t0). */
    float[] traceFromAdaptation(int slot) {
        return cEa[slot];
    }

    /** cEv: ē(t1)'s weight of ε_i(t0). */
    float[] traceFromEpsilon(int slot) {
        return cEv[slot];
    }

    /** cAa: ε^a(t1)'s weight of ε^a(t0) (ALIF). */
    float[] adaptationFromAdaptation(int slot) {
        return cAa[slot];
    }

    /** cAv: ε^a(t1)'s weight of ε_i(t0) (ALIF). */
    float[] adaptationFromEpsilon(int slot) {
        return cAv[slot];
    }
}
