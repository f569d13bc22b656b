/**
 * Offline training jobs inside the server and standalone: a {@link
 * org.spikeloop.server.jobs.TrainingJob} reads a session's XDF recordings, trains with the
 * regression recipe of {@code learn.jobs}, registers the result as the session's reference
 * checkpoint and writes its report; {@link org.spikeloop.server.jobs.JobManager} submits, tracks
 * and cancels jobs on the bounded {@link org.spikeloop.server.jobs.JobExecutor}; periodic triggers
 * submit a session's job every so often; {@link org.spikeloop.server.jobs.StandaloneTraining} runs
 * the same job as {@code spikeloop train --xdf} (or a Kubernetes Job) against a shared registry. A
 * job never touches a live session: governance decides whether its result is loaded, as a command
 * to the session's engine.
 *
 * <p>Threads: jobs run on the executor's threads (a bounded number at once, at a lowered nice
 * value, 10 by default, and Java's minimum priority; their BPTT workers inherit the nice value);
 * the triggers are polled on {@code spikeloop-job-triggers}; submitting, listing and cancelling
 * from any thread. Control plane: allocates freely, never runs on an engine thread.
 *
 * <p>May import: {@code os}, {@code recording}, {@code registry}, {@link
 * org.spikeloop.server.ServerException}; {@code learn.jobs}, {@code learn.train}, {@code
 * adapters.xdf}, {@code adapters.lsl}, {@code snn}. Never {@code session}, {@code governance},
 * {@code metrics} or {@code grpc}: {@code governance}, {@code metrics}, {@code grpc} and the
 * application import it.
 */
package org.spikeloop.server.jobs;
