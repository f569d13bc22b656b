/**
 * Exact surrogate-gradient backpropagation through time for every network a {@code NetworkSpec}
 * describes ({@link org.spikeloop.learn.bptt.BpttEngine}): exact Heaviside forward with the
 * trajectory stored in float64, the backward pass in reverse time with the surrogate at every
 * spiking nonlinearity ({@link org.spikeloop.learn.bptt.SliceWorker} states the backward
 * equations), and the gradients by parameter name ({@link org.spikeloop.learn.bptt.Gradients}).
 *
 * <p>Threads: each engine owns a pool of {@code bptt-worker-<n>} threads, one fixed contiguous
 * slice of the mini-batch each; the caller's thread evaluates the objective between the passes and
 * sums the slices in order, so a fixed thread count gives bit-identical results. One {@code
 * compute} at a time per engine. Allocation: workers and their trajectory buffers are made once and
 * reused while the batch shape stays the same.
 *
 * <p>May import: {@code learn.data}, {@code learn.loss}, {@code snn.spec}, {@code snn.params},
 * {@code snn.surrogate}. Imported by {@code learn.optim} ({@code Gradients}), {@code learn.train}
 * and the application; never imports the optimisers or the trainer.
 */
package org.spikeloop.learn.bptt;
