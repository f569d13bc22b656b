package org.spikeloop.learn.optim;

/**
 * The Adam step (Kingma &amp; Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1)
 * as a static kernel over slices of caller-owned arrays, in float64 and float32:
 *
 * <pre>
 *   m_i ← β₁·m_i + (1 − β₁)·g_i
 *   v_i ← β₂·v_i + (1 − β₂)·g_i·g_i
 *   p_i ← p_i + clip(−η·(m_i / c₁) / (√(v_i / c₂) + ε), ±maxStep)      c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ
 * </pre>
 *
 * The bias corrections c₁ and c₂ belong to the optimiser step t, not to an element, so the caller
 * computes them once per step ({@link #biasCorrection}) and passes them to every slice of that
 * step. {@code maxStep} is the e-prop guard on each |Δp| (a clinical decoder's bounded step);
 * {@code +∞} turns it off and leaves every step, NaN and ±∞ included, exactly as computed.
 *
 * <p>The order of the floating-point operations is part of the contract: {@link Adam} (offline
 * training), the e-prop learners' readout and synaptic rows and the float64 e-prop reference all
 * take their steps here, and their tests compare results bit for bit with the formulas each had
 * before (written exactly as above, (1 − β₂)·g·g multiplied left to right).
 *
 * <p>Allocation: none. Threading: stateless; the caller owns the arrays (one writer per array).
 */
public final class AdamKernel {
    private AdamKernel() {}

    /**
     * The bias correction 1 − βᵗ of optimiser step t.
     *
     * @param beta β₁ or β₂, in [0, 1)
     * @param step t &ge; 1 (the number of steps taken, this one included)
     */
    public static double biasCorrection(double beta, long step) {
        return 1.0 - Math.pow(beta, step);
    }

    /**
     * One Adam step over the slice {@code [0, n)}: p at {@code pOffset + i}, g, m and v at {@code
     * offset + i}.
     *
     * @param p parameters (modified)
     * @param pOffset index of the slice's first parameter in {@code p}
     * @param g gradients (not modified)
     * @param m first moments (modified)
     * @param v second moments (modified)
     * @param offset index of the slice's first element in {@code g}, {@code m} and {@code v}
     * @param n elements in the slice
     * @param learningRate η
     * @param beta1 β₁
     * @param beta2 β₂
     * @param epsilon ε
     * @param c1 1 − β₁ᵗ of this step
     * @param c2 1 − β₂ᵗ of this step
     * @param maxStep bound on each |Δp|; {@code Double.POSITIVE_INFINITY} for none
     */
    public static void update(
            double[] p,
            int pOffset,
            double[] g,
            double[] m,
            double[] v,
            int offset,
            int n,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon,
            double c1,
            double c2,
            double maxStep) {
        for (int i = 0; i < n; i++) {
            int k = offset + i;
            double gi = g[k];
            double mi = beta1 * m[k] + (1.0 - beta1) * gi;
            double vi = beta2 * v[k] + (1.0 - beta2) * gi * gi;
            m[k] = mi;
            v[k] = vi;
            double step = -learningRate * (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
            p[pOffset + i] += Math.max(-maxStep, Math.min(maxStep, step));
        }
    }

    /**
     * Float32 variant of {@link #update(double[], int, double[], double[], double[], int, int,
     * double, double, double, double, double, double, double)}: every operation in float except the
     * square root (√ of the float quotient in double, rounded back to float).
     *
     * @param p parameters (modified)
     * @param pOffset index of the slice's first parameter in {@code p}
     * @param g gradients (not modified)
     * @param m first moments (modified)
     * @param v second moments (modified)
     * @param offset index of the slice's first element in {@code g}, {@code m} and {@code v}
     * @param n elements in the slice
     * @param learningRate η
     * @param beta1 β₁
     * @param beta2 β₂
     * @param epsilon ε
     * @param c1 1 − β₁ᵗ of this step
     * @param c2 1 − β₂ᵗ of this step
     * @param maxStep bound on each |Δp|; {@code Float.POSITIVE_INFINITY} for none
     */
    public static void update(
            float[] p,
            int pOffset,
            float[] g,
            float[] m,
            float[] v,
            int offset,
            int n,
            float learningRate,
            float beta1,
            float beta2,
            float epsilon,
            float c1,
            float c2,
            float maxStep) {
        for (int i = 0; i < n; i++) {
            int k = offset + i;
            float gi = g[k];
            float mi = beta1 * m[k] + (1f - beta1) * gi;
            float vi = beta2 * v[k] + (1f - beta2) * gi * gi;
            m[k] = mi;
            v[k] = vi;
            float step = -learningRate * (mi / c1) / ((float) Math.sqrt(vi / c2) + epsilon);
            p[pOffset + i] += Math.max(-maxStep, Math.min(maxStep, step));
        }
    }
}
