/**
 * Optimisers and gradient clipping.
 *
 * <p>{@link org.spikeloop.learn.optim.Optimizer} implementations ({@link
 * org.spikeloop.learn.optim.Adam}, {@link org.spikeloop.learn.optim.Sgd}) and {@link
 * org.spikeloop.learn.optim.GradientClipping} update named parameters for the offline SG-BPTT
 * trainer. {@link org.spikeloop.learn.optim.AdamKernel} is the one Adam step (Kingma &amp; Ba 2015,
 * Algorithm 1) as a static kernel over array slices, float64 and float32: {@code Adam} and the
 * e-prop learners ({@code learn.eprop}) all take their steps from it.
 *
 * <p>Threads: an optimiser belongs to one trainer (its moments are its state; not thread-safe).
 * {@code AdamKernel} is stateless and allocation-free, so the engine thread may call it per step.
 *
 * <p>May import: {@code org.spikeloop.snn.params} and {@code learn.bptt.Gradients} (the named
 * parameters and gradients an optimiser steps). Nothing from {@code learn.eprop}, {@code
 * learn.train} or above: they depend on this package, not the reverse.
 */
package org.spikeloop.learn.optim;
