package org.spikeloop.snn.spec;

import java.util.Objects;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * Hyperparameters of one population of neurons (discrete time, step dt; decays α = e^(−dt/τ)).
 *
 * <p>All models share the input current I_t = W_in·x_t + W_rec·z_{t−1} + b and the reset one step
 * later (Bellec et al. 2020, Methods eq. (1) and (21)); θ_j (threshold) and δ_j (reset offset) are
 * per-neuron trainable parameters initialised from {@link #thresholdInit} and {@link
 * #resetOffsetInit}:
 *
 * <ul>
 *   <li><b>LIF</b>: v_t = α·v_{t−1} + I_t − z_{t−1}·(θ − δ) (subtract) or v_t = (1 −
 *       z_{t−1})·α·v_{t−1} + z_{t−1}·δ + I_t (zero); z_t = H(v_t − θ).
 *   <li><b>ALIF</b>: a_t = ρ·a_{t−1} + z_{t−1}, A_t = θ + β·a_t, reset as LIF (subtracting θ, not
 *       A), z_t = H(v_t − A_t); ρ = e^(−dt/τ_a). Input is not scaled by 1 − α (e-prop reference
 *       code).
 *   <li><b>TWO_COMPARTMENT</b>: dendrite d_t = α_d·d_{t−1} + I_t; dendritic gate s_t = H(d_t − θ_d)
 *       when {@link #dendriticSpikes} (else s_t = 1); soma as LIF with input g·s_t·d_t instead of
 *       I_t.
 * </ul>
 *
 * <p>Refractoriness follows the e-prop reference code's counter: r_t = clip(r_{t−1} + n·z_t − 1, 0,
 * n) with n = {@link #refractorySteps}; the neuron is refractory at step t when r_{t−1} &gt; 0, so
 * a spike at t blocks steps t+1 … t+n−1 (the spike step counts as the first of the n). While
 * refractory it cannot spike and its surrogate derivative is zero; the membrane keeps integrating.
 *
 * @param model the neuron model
 * @param tauMemMs membrane time constant τ_m (ms, &gt; 0)
 * @param thresholdInit initial θ (&gt; 0)
 * @param reset reset mode
 * @param resetOffsetInit initial δ (finite)
 * @param refractorySteps refractory period n in steps, counting the spike step (&ge; 0; 0 and 1
 *     mean none)
 * @param tauAdaptMs ALIF adaptation time constant τ_a (ms, &gt; 0)
 * @param adaptBeta ALIF adaptation strength β (&ge; 0)
 * @param tauDendMs dendritic time constant τ_d (ms, &gt; 0)
 * @param couplingGain dendro-somatic coupling g (finite)
 * @param dendriticSpikes whether a dendritic spike gates the dendro-somatic current
 * @param dendriticThreshold θ_d (&gt; 0)
 * @param surrogate surrogate of the somatic spike
 * @param dendriticSurrogate surrogate of the dendritic spike
 */
public record NeuronSpec(
        NeuronModel model,
        double tauMemMs,
        double thresholdInit,
        ResetMode reset,
        double resetOffsetInit,
        int refractorySteps,
        double tauAdaptMs,
        double adaptBeta,
        double tauDendMs,
        double couplingGain,
        boolean dendriticSpikes,
        double dendriticThreshold,
        SurrogateSpec surrogate,
        SurrogateSpec dendriticSurrogate) {

    public NeuronSpec {
        InvalidSpecException.requirePresent("model", model);
        InvalidSpecException.requirePositive("tauMemMs", tauMemMs);
        InvalidSpecException.requirePositive("thresholdInit", thresholdInit);
        InvalidSpecException.requirePresent("reset", reset);
        InvalidSpecException.requireFinite("resetOffsetInit", resetOffsetInit);
        InvalidSpecException.requireAtLeast("refractorySteps", refractorySteps, 0);
        InvalidSpecException.requirePositive("tauAdaptMs", tauAdaptMs);
        InvalidSpecException.requireNonNegative("adaptBeta", adaptBeta);
        InvalidSpecException.requirePositive("tauDendMs", tauDendMs);
        InvalidSpecException.requireFinite("couplingGain", couplingGain);
        InvalidSpecException.requirePositive("dendriticThreshold", dendriticThreshold);
        InvalidSpecException.requirePresent("surrogate", surrogate);
        InvalidSpecException.requirePresent("dendriticSurrogate", dendriticSurrogate);
    }

    /** LIF with τ_m = 20 ms, θ = 1, subtractive reset, e-prop's triangle surrogate (γ = 0.3). */
    public static NeuronSpec lif() {
        return new NeuronSpec(
                NeuronModel.LIF,
                20.0,
                1.0,
                ResetMode.SUBTRACT,
                0.0,
                0,
                200.0,
                1.7,
                10.0,
                1.0,
                false,
                1.0,
                SurrogateSpec.EPROP_DEFAULT,
                SurrogateSpec.EPROP_DEFAULT);
    }

    /**
     * ALIF with the LIF defaults and τ_a = 200 ms, β = 1.7 (the e-prop paper's order of magnitude).
     */
    public static NeuronSpec alif() {
        return lif().withModel(NeuronModel.ALIF);
    }

    /** Two-compartment neuron with the LIF defaults, τ_d = 10 ms, g = 1, no dendritic spikes. */
    public static NeuronSpec twoCompartment() {
        return lif().withModel(NeuronModel.TWO_COMPARTMENT);
    }

    public NeuronSpec withModel(NeuronModel m) {
        return new NeuronSpec(
                m,
                tauMemMs,
                thresholdInit,
                reset,
                resetOffsetInit,
                refractorySteps,
                tauAdaptMs,
                adaptBeta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                surrogate,
                dendriticSurrogate);
    }

    public NeuronSpec withReset(ResetMode r, double offsetInit) {
        return new NeuronSpec(
                model,
                tauMemMs,
                thresholdInit,
                r,
                offsetInit,
                refractorySteps,
                tauAdaptMs,
                adaptBeta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                surrogate,
                dendriticSurrogate);
    }

    public NeuronSpec withRefractorySteps(int steps) {
        return new NeuronSpec(
                model,
                tauMemMs,
                thresholdInit,
                reset,
                resetOffsetInit,
                steps,
                tauAdaptMs,
                adaptBeta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                surrogate,
                dendriticSurrogate);
    }

    public NeuronSpec withMembrane(double tauMs, double threshold) {
        return new NeuronSpec(
                model,
                tauMs,
                threshold,
                reset,
                resetOffsetInit,
                refractorySteps,
                tauAdaptMs,
                adaptBeta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                surrogate,
                dendriticSurrogate);
    }

    public NeuronSpec withAdaptation(double tauMs, double beta) {
        return new NeuronSpec(
                model,
                tauMemMs,
                thresholdInit,
                reset,
                resetOffsetInit,
                refractorySteps,
                tauMs,
                beta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                surrogate,
                dendriticSurrogate);
    }

    public NeuronSpec withDendrite(double tauMs, double gain, boolean spikes, double threshold) {
        return new NeuronSpec(
                model,
                tauMemMs,
                thresholdInit,
                reset,
                resetOffsetInit,
                refractorySteps,
                tauAdaptMs,
                adaptBeta,
                tauMs,
                gain,
                spikes,
                threshold,
                surrogate,
                dendriticSurrogate);
    }

    public NeuronSpec withSurrogate(SurrogateSpec s) {
        return new NeuronSpec(
                model,
                tauMemMs,
                thresholdInit,
                reset,
                resetOffsetInit,
                refractorySteps,
                tauAdaptMs,
                adaptBeta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                Objects.requireNonNull(s),
                dendriticSurrogate);
    }

    public NeuronSpec withDendriticSurrogate(SurrogateSpec s) {
        return new NeuronSpec(
                model,
                tauMemMs,
                thresholdInit,
                reset,
                resetOffsetInit,
                refractorySteps,
                tauAdaptMs,
                adaptBeta,
                tauDendMs,
                couplingGain,
                dendriticSpikes,
                dendriticThreshold,
                surrogate,
                Objects.requireNonNull(s));
    }

    /** Membrane decay α = e^(−dt/τ_m). */
    public double alpha(double dtMs) {
        return Math.exp(-dtMs / tauMemMs);
    }

    /** Adaptation decay ρ = e^(−dt/τ_a). */
    public double rho(double dtMs) {
        return Math.exp(-dtMs / tauAdaptMs);
    }

    /** Dendritic decay α_d = e^(−dt/τ_d). */
    public double alphaDend(double dtMs) {
        return Math.exp(-dtMs / tauDendMs);
    }
}
