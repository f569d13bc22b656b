package org.spikeloop.snn.nir;

/**
 * How NIR's continuous-time neurons become Spikeloop's discrete ones, and back: forward Euler at
 * step dt, the convention snnTorch 1.0 exports and imports with (its {@code export_nir} and {@code
 * import_nir}, dt = 1e-4 s there).
 *
 * <p>NIR's leaky membrane τ·dv/dt = (v_leak − v) + R·I becomes v_t = β·v_{t−1} + (dt/τ)·(v_leak +
 * R·I_t) with β = 1 − dt/τ. Spikeloop writes the same decay as α = e^(−dt_step/τ_sl) (NeuronSpec),
 * so an imported population gets τ_sl = −dt_step / ln β, which makes α equal β exactly up to
 * rounding; an exported one gets τ = dt / (1 − α). The input factor (dt/τ)·R multiplies the rows of
 * the weights that feed the population (snnTorch writes R = τ/dt, so the factor is one), and
 * (dt/τ)·v_leak adds to their bias. Spikeloop's readout y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b) is
 * NIR's LI with κ = 1 − dt/τ, R = 1, v_leak = 0.
 *
 * <p>Threads: stateless; any thread.
 */
final class Discretisation {
    /**
     * Input factors within this distance of one are taken as one (the rounding of (dt/τ)·(τ/dt)).
     */
    static final double UNIT_TOLERANCE = 1e-9;

    private Discretisation() {}

    /** β = 1 − dt/τ, the per-step decay of a NIR time constant τ at step dt (both in seconds). */
    static double decay(double dtS, double tauS) {
        return 1.0 - dtS / tauS;
    }

    /**
     * Spikeloop's time constant (ms) whose decay e^(−step/τ) is {@code decay} at a step of {@code
     * stepMs}; {@link Double#MAX_VALUE} (e^(−step/τ) = 1 exactly) for a decay of one.
     */
    static double spikeloopTauMs(double decay, double stepMs) {
        if (decay >= 1.0) {
            return Double.MAX_VALUE;
        }
        return -stepMs / Math.log(decay);
    }

    /** NIR's τ (seconds) whose Euler decay 1 − dt/τ is {@code decay} (&lt; 1). */
    static double nirTauS(double decay, double dtS) {
        return dtS / (1.0 - decay);
    }

    /** {@code factor}, or exactly one when it is within {@link #UNIT_TOLERANCE} of one. */
    static double snapToOne(double factor) {
        return Math.abs(factor - 1.0) <= UNIT_TOLERANCE ? 1.0 : factor;
    }
}
