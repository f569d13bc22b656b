package org.spikeloop.snn.spec;

/**
 * One spiking layer: a dense projection from the layer below (or the input), optionally recurrent
 * (W_rec with a zero diagonal: no autapses).
 *
 * @param size number of neurons (&ge; 1)
 * @param recurrent whether the layer has recurrent weights
 * @param neuron the neurons' hyperparameters
 */
public record LayerSpec(int size, boolean recurrent, NeuronSpec neuron) {
    public LayerSpec {
        InvalidSpecException.requireAtLeast("size", size, 1);
        InvalidSpecException.requirePresent("neuron", neuron);
    }
}
