package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Submits a session's training job every {@code everyMs} or every {@code everyLabelledSamples} new
 * labelled samples, whichever comes first, never while one of its jobs is still queued or running.
 * {@link #poll} is called by a scheduler (the server's trigger thread) or a test.
 *
 * <p>Threading: {@link #poll} is synchronised; control plane.
 */
public final class PeriodicTrigger {
    private final String sessionId;
    private final long everyMs;
    private final long everyLabelledSamples;
    private final RecordingSource source;
    private final Function<List<Path>, TrainingJobRequest> request;
    private final JobManager jobs;
    private final Clock clock;
    private long lastMs;
    private long lastLabelled;

    /**
     * @param everyMs 0 = no time trigger
     * @param everyLabelledSamples 0 = no sample trigger
     * @param request builds the job request for the current recordings
     */
    public PeriodicTrigger(
            String sessionId,
            long everyMs,
            long everyLabelledSamples,
            RecordingSource source,
            Function<List<Path>, TrainingJobRequest> request,
            JobManager jobs,
            Clock clock) {
        if (everyMs < 0
                || everyLabelledSamples < 0
                || (everyMs == 0 && everyLabelledSamples == 0)) {
            throw new IllegalArgumentException(
                    "trigger: give every_minutes > 0 and/or every_labelled_samples > 0, got "
                            + everyMs
                            + " ms, "
                            + everyLabelledSamples
                            + " samples");
        }
        this.sessionId = sessionId;
        this.everyMs = everyMs;
        this.everyLabelledSamples = everyLabelledSamples;
        this.source = source;
        this.request = request;
        this.jobs = jobs;
        this.clock = clock;
        this.lastMs = clock.millis();
        this.lastLabelled = source.labelledSamples();
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Submits a job when one is due.
     *
     * @return the submitted job, or null
     */
    public synchronized JobHandle poll() {
        long now = clock.millis();
        long labelled = source.labelledSamples();
        boolean due =
                (everyMs > 0 && now - lastMs >= everyMs)
                        || (everyLabelledSamples > 0
                                && labelled - lastLabelled >= everyLabelledSamples);
        if (!due || jobs.busy(sessionId) || source.recordings().isEmpty()) {
            return null;
        }
        try {
            JobHandle h = jobs.submit(request.apply(source.recordings()));
            lastMs = now;
            lastLabelled = labelled;
            return h;
        } catch (RejectedExecutionException e) {
            return null; // queue full: try again at the next poll
        }
    }
}
