package org.spikeloop.learn.jobs;

/** Hears about each finished epoch (on the job's thread; must not block for long). */
@FunctionalInterface
public interface JobProgressListener {
    void onEpoch(JobProgress progress);
}
