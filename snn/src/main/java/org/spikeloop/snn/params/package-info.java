/**
 * A network's trainable parameters: named row-major tensors ({@link
 * org.spikeloop.snn.params.Tensor}, out × in like PyTorch's {@code nn.Linear}) under the names of
 * {@link org.spikeloop.snn.params.ParameterNames}, collected in {@link
 * org.spikeloop.snn.params.NetworkParams} (the float64 master copy), and their seeded
 * initialisation ({@link org.spikeloop.snn.params.Initializer}).
 *
 * <p>Threads: none of its own. {@code NetworkParams} and {@code Tensor} are mutable and not
 * thread-safe: one owner at a time (a trainer, a checkpoint being read or written, a kernel being
 * loaded). Control plane: the kernels keep their own float32 copies, so nothing here is on the
 * decode path.
 *
 * <p>May import: {@code snn.spec}. Imported by the rest of {@code snn}, the learners, the server
 * and the application; never imports them.
 */
package org.spikeloop.snn.params;
