/**
 * The network's architecture as a validated value: {@link org.spikeloop.snn.spec.NetworkSpec}
 * (input, optional spiking conv front-end, spiking layers, readout), its parts ({@link
 * org.spikeloop.snn.spec.NeuronSpec}, which states the neuron equations once, {@link
 * org.spikeloop.snn.spec.LayerSpec}, {@link org.spikeloop.snn.spec.ReadoutSpec}, {@link
 * org.spikeloop.snn.spec.ConvSpec}, {@link org.spikeloop.snn.spec.InitSpec}) and their JSON form
 * ({@link org.spikeloop.snn.spec.SpecJson}: unknown fields are errors). Every record checks itself
 * on construction; an {@link org.spikeloop.snn.spec.InvalidSpecException} names the field path.
 *
 * <p>Threads: none of its own. The records are immutable and safe to share between threads; the
 * JSON reader runs on the caller's thread. Control plane: parsing and validation allocate.
 *
 * <p>May import: {@code snn.surrogate} (a neuron names its surrogate) and Gson. Nothing else of the
 * project: every other package of the code base may import this one.
 */
package org.spikeloop.snn.spec;
