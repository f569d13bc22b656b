/**
 * The terms of a training objective: losses ({@link org.spikeloop.learn.loss.ReadoutMse}, {@link
 * org.spikeloop.learn.loss.SpikeCountCrossEntropy}, {@link org.spikeloop.learn.loss.FirstToSpike},
 * {@link org.spikeloop.learn.loss.MembraneTarget}) and regularisers ({@link
 * org.spikeloop.learn.loss.RateTarget}, {@link org.spikeloop.learn.loss.SpikeCountPenalty}, {@link
 * org.spikeloop.learn.loss.MembranePenalty}), each an {@link
 * org.spikeloop.learn.loss.ObjectiveTerm} whose javadoc states its equation and how it differs from
 * its siblings; {@link org.spikeloop.learn.loss.Objectives} builds them from configuration JSON,
 * naming the field of every error.
 *
 * <p>Threads: a term is evaluated once per mini-batch on the caller's thread, then read
 * concurrently by the BPTT workers ({@code addGradient} only reads what {@code evaluate} cached;
 * each worker adds into its own {@link org.spikeloop.learn.loss.GradientSink}).
 *
 * <p>May import: {@code learn.data}, {@code snn.spec}, {@code snn.params} and Gson. Imported by
 * {@code learn.bptt}, {@code learn.train}, {@code learn.eprop} and the application's benchmarks.
 */
package org.spikeloop.learn.loss;
