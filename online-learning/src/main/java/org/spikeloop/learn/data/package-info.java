/**
 * Training data: {@link org.spikeloop.learn.data.Batch}, equally long input sequences [B, T, C]
 * with their named targets, and {@link org.spikeloop.learn.data.NpzData}, which loads one from a
 * NumPy {@code .npz} and refuses non-finite values, wrong shapes and unknown entries naming the
 * entry ({@link org.spikeloop.learn.data.InvalidDataException}).
 *
 * <p>Threads: none of its own. A batch is immutable by convention (its arrays are not copied and
 * nobody writes them), so the BPTT workers read it concurrently. Control plane: loading allocates.
 *
 * <p>May import: {@code snn.params} and npy. Imported by the rest of {@code learn} and the
 * application; never imports other {@code learn} packages.
 */
package org.spikeloop.learn.data;
