package org.spikeloop.snn.surrogate;

/**
 * A surrogate derivative for the spike nonlinearity z = H(u), where u = v − A is the membrane's
 * distance to its (possibly adaptive) threshold.
 *
 * <p>The forward pass always uses the exact Heaviside step ({@link #spike}); the surrogate enters
 * only the backward pass (SG-BPTT) and e-prop's pseudo-derivative ψ. Each implementation also
 * exposes the smooth function whose derivative it is ({@link #smooth}), so tests can check {@link
 * #derivative} against finite differences.
 *
 * <p>Implementations are immutable, allocation-free and thread-safe.
 */
public interface Surrogate {

    /** Exact forward spike: 1 when u &gt; 0, else 0 (strict, as in the e-prop code and PyTorch). */
    static double spike(double u) {
        return u > 0.0 ? 1.0 : 0.0;
    }

    /** The surrogate derivative dz/du evaluated at u. */
    double derivative(double u);

    /** The smooth step-like function whose derivative {@link #derivative} is (up to a constant). */
    double smooth(double u);

    /** The specification this surrogate was built from (name and parameters). */
    SurrogateSpec spec();
}
