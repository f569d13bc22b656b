package org.spikeloop.snn.spec;

/** The neuron models of the spiking core; their equations are documented on {@link NeuronSpec}. */
public enum NeuronModel {
    /** Leaky integrate-and-fire. */
    LIF,
    /** LIF with an adaptive threshold A = θ + β·a (Bellec et al. 2020). */
    ALIF,
    /**
     * A dendrite integrates synaptic input and drives the soma, optionally through a dendritic
     * spike.
     */
    TWO_COMPARTMENT
}
