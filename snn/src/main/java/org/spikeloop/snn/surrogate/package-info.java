/**
 * Surrogate derivatives of the spike nonlinearity z = H(u), u = v − A: the {@link
 * org.spikeloop.snn.surrogate.Surrogate} contract (exact Heaviside forward, the surrogate only in
 * the backward pass and in e-prop's pseudo-derivative ψ), one class per surrogate, each citing the
 * paper and equation it comes from, and their names in configurations ({@link
 * org.spikeloop.snn.surrogate.SurrogateKind}, {@link org.spikeloop.snn.surrogate.SurrogateSpec}).
 *
 * <p>Threads: none of its own; implementations are immutable and thread-safe. Allocation: {@code
 * spike}, {@code derivative} and {@code smooth} allocate nothing (the BPTT workers and the e-prop
 * learner call them per neuron and step).
 *
 * <p>May import: the JDK only. Imported by {@code snn.spec} and the learners ({@code learn.bptt},
 * {@code learn.eprop}).
 */
package org.spikeloop.snn.surrogate;
