package org.spikeloop.snn.spec;

import java.util.List;

/**
 * The architecture of a decoder network: input → optional spiking conv front-end → stack of spiking
 * layers (each optionally recurrent) → readout. Immutable and validated on construction; every
 * error names the offending field's path.
 *
 * @param dtMs the step, in ms (&gt; 0); decays are e^(−dt/τ)
 * @param inputs number of input channels (&ge; 1)
 * @param conv the conv front-end, or null for none
 * @param layers the spiking layers, bottom first (at least one)
 * @param readout the readout
 */
public record NetworkSpec(
        double dtMs, int inputs, ConvSpec conv, List<LayerSpec> layers, ReadoutSpec readout) {

    public NetworkSpec {
        InvalidSpecException.requirePositive("dtMs", dtMs);
        InvalidSpecException.requireAtLeast("inputs", inputs, 1);
        InvalidSpecException.requirePresent("layers", layers);
        if (layers.isEmpty()) {
            throw new InvalidSpecException("layers", "must hold at least one spiking layer");
        }
        for (int l = 0; l < layers.size(); l++) {
            InvalidSpecException.requirePresent("layers[" + l + "]", layers.get(l));
        }
        layers = List.copyOf(layers);
        InvalidSpecException.requirePresent("readout", readout);
    }

    /**
     * The common decoder: one recurrent layer of {@code neurons} neurons and a leaky readout, dt =
     * 1 ms.
     */
    public static NetworkSpec recurrent(int inputs, int neurons, int outputs, NeuronSpec neuron) {
        return new NetworkSpec(
                1.0,
                inputs,
                null,
                List.of(new LayerSpec(neurons, true, neuron)),
                ReadoutSpec.leaky(outputs));
    }

    /** Number of inputs the first spiking layer receives (conv channels, or the raw inputs). */
    public int firstLayerInputs() {
        return conv == null ? inputs : conv.outChannels();
    }

    /** Number of inputs layer {@code l} receives. */
    public int layerInputs(int l) {
        return l == 0 ? firstLayerInputs() : layers.get(l - 1).size();
    }

    /** Size of the last spiking layer (the readout's input). */
    public int lastLayerSize() {
        return layers.get(layers.size() - 1).size();
    }

    /** Number of outputs. */
    public int outputs() {
        return readout.size();
    }
}
