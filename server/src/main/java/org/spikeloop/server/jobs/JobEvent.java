package org.spikeloop.server.jobs;

import org.spikeloop.learn.jobs.JobProgress;

/**
 * A change a watcher sees: a state change, or an epoch's progress while RUNNING.
 *
 * @param jobId the job
 * @param state state after the event
 * @param progress the epoch just finished, or null for a pure state change
 * @param message failure or cancellation reason, or the checkpoint id on success ("" otherwise)
 */
public record JobEvent(String jobId, JobState state, JobProgress progress, String message) {}
