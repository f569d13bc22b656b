/**
 * How a training job turns a recording into a decoder without per-recording tuning ({@link
 * org.spikeloop.learn.jobs.RegressionRecipe}: split by time, standardised targets, input-gain
 * choice, closed-form readout calibration, SG-BPTT fine-tuning with early stopping; docs/jobs.md;
 * its classification counterpart {@link org.spikeloop.learn.jobs.ClassificationRecipe} for leaky
 * and spike-count readouts), the scores it reports in the recording's units next to the classical
 * baselines ({@link org.spikeloop.learn.jobs.RegressionBaselines}), the causal held-out evaluation
 * that governance's shadow evaluation shares ({@link org.spikeloop.learn.jobs.HeldOutEvaluation}:
 * the float32 kernel, as the live decoder runs), and the job's PNG report.
 *
 * <p>Threads: a recipe runs on the caller's thread (the server's job executor, or {@code spikeloop
 * train}) with the BPTT workers of its trainer; it checks its cancellation flag between
 * mini-batches ({@link org.spikeloop.learn.jobs.JobCancelledException}) and reports each epoch to a
 * {@link org.spikeloop.learn.jobs.JobProgressListener} on that thread. Control plane: allocates
 * freely.
 *
 * <p>May import: {@code learn.train}, {@code learn.data}, {@code learn.baseline}, {@code
 * learn.trials} (trials and the per-trial decision, shared with sessions), {@code snn.spec}, {@code
 * snn.params}, {@code snn.kernel}, EJML and Java2D. Imported by the server's jobs, governance and
 * gRPC services; never imports the server.
 */
package org.spikeloop.learn.jobs;
