package org.spikeloop.snn.spec;

/**
 * The readout of the last spiking layer.
 *
 * @param type leaky integrator or spike-count output neurons
 * @param size number of outputs (&ge; 1)
 * @param tauOutMs readout time constant τ_out (ms, &gt; 0); κ = e^(−dt/τ_out), LEAKY only
 * @param neuron output neurons' hyperparameters, SPIKE_COUNT only (LIF defaults otherwise)
 */
public record ReadoutSpec(ReadoutType type, int size, double tauOutMs, NeuronSpec neuron) {
    public ReadoutSpec {
        InvalidSpecException.requirePresent("type", type);
        InvalidSpecException.requireAtLeast("size", size, 1);
        InvalidSpecException.requirePositive("tauOutMs", tauOutMs);
        InvalidSpecException.requirePresent("neuron", neuron);
    }

    /** A leaky readout with τ_out = 20 ms. */
    public static ReadoutSpec leaky(int size) {
        return new ReadoutSpec(ReadoutType.LEAKY, size, 20.0, NeuronSpec.lif());
    }

    /** Spike-count output neurons with the given model. */
    public static ReadoutSpec spikeCount(int size, NeuronSpec neuron) {
        return new ReadoutSpec(ReadoutType.SPIKE_COUNT, size, 20.0, neuron);
    }

    /** Readout decay κ = e^(−dt/τ_out). */
    public double kappa(double dtMs) {
        return Math.exp(-dtMs / tauOutMs);
    }
}
