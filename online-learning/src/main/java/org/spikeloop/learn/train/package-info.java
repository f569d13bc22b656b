/**
 * Offline SG-BPTT training: {@link org.spikeloop.learn.train.Trainer} (seeded shuffles,
 * mini-batches, gradient clipping, the optimiser step), the job configuration read from one JSON
 * file and validated once ({@link org.spikeloop.learn.train.JobConfig}), {@code spikeloop grad}'s
 * single gradient evaluation ({@link org.spikeloop.learn.train.GradientJob}), parameters and
 * gradients as {@code .npz}, and the loss-curve PNG.
 *
 * <p>Threads: a trainer runs on the caller's thread (a training job's executor thread in the
 * server, the main thread in the CLI) and owns its BPTT engine and that engine's workers; not
 * thread-safe. Control plane: allocates freely.
 *
 * <p>May import: {@code learn.bptt}, {@code learn.loss}, {@code learn.data}, {@code learn.optim},
 * {@code snn.spec}, {@code snn.params}, Gson, npy and Java2D. Imported by {@code learn.eprop}'s
 * offline runs, {@code learn.jobs}, the server's jobs and the application.
 */
package org.spikeloop.learn.train;
