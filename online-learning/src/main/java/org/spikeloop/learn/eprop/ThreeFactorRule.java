package org.spikeloop.learn.eprop;

/**
 * e-prop for a single LIF neuron, written as the three-factor rule a hardware designer can read off
 * (Bellec et al. 2020, Methods eqs. (13)–(14), (28); the neuromorphic "presynaptic trace ×
 * postsynaptic term × error" form):
 *
 * <pre>
 *   presynaptic trace   ε_i ← α·ε_i + x_i                 (factor 1: per input, local)
 *   postsynaptic term   ψ = surrogate'(v − θ), 0 if refractory  (factor 2: local to the neuron)
 *   filtered eligibility ē_i ← κ·ē_i + (1 − κ)·ψ·ε_i
 *   learning signal     L = Σ_k B_k·(y_k − y*_k)          (factor 3: broadcast error)
 *   weight change       Δw_i = −η·L·ē_i
 * </pre>
 *
 * It is exactly what {@link EpropReference} computes for H = 1 (tested), with the update applied
 * every step. Allocation-free; writes into the caller's arrays; not thread-safe per instance of the
 * arrays.
 */
public final class ThreeFactorRule {
    private ThreeFactorRule() {}

    /**
     * Factor 1: ε_i ← α·ε_i + x_i.
     *
     * @param trace ε (modified)
     * @param x presynaptic input of this step (not modified)
     * @param alpha membrane decay α = e^(−dt/τ_m)
     */
    public static void presynapticTrace(double[] trace, double[] x, double alpha) {
        for (int i = 0; i < trace.length; i++) {
            trace[i] = alpha * trace[i] + x[i];
        }
    }

    /**
     * Factors 1 × 2, κ-filtered: ē_i ← κ·ē_i + (1 − κ)·ψ·ε_i.
     *
     * @param eligibility ē (modified)
     * @param trace ε (not modified)
     * @param psi ψ of this step (0 while refractory)
     * @param kappa readout decay κ
     */
    public static void eligibility(double[] eligibility, double[] trace, double psi, double kappa) {
        for (int i = 0; i < eligibility.length; i++) {
            eligibility[i] = kappa * eligibility[i] + (1.0 - kappa) * psi * trace[i];
        }
    }

    /**
     * Factor 3 applied: w_i ← w_i − η·L·ē_i.
     *
     * @param weights w (modified)
     * @param eligibility ē (not modified)
     * @param learningSignal L = Σ_k B_k·err_k
     * @param learningRate η
     */
    public static void update(
            double[] weights, double[] eligibility, double learningSignal, double learningRate) {
        for (int i = 0; i < weights.length; i++) {
            weights[i] -= learningRate * learningSignal * eligibility[i];
        }
    }
}
