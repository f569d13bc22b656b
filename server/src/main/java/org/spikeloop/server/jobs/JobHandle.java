package org.spikeloop.server.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.learn.jobs.JobProgress;

/**
 * A submitted job as the server tracks it: state, progress history, result or error, watchers and
 * the cancellation flag.
 *
 * <p>Threading: the job thread publishes, any thread reads and watches; state, history and watcher
 * calls are guarded by {@code this}, so each watcher sees every event once, in order (watchers must
 * not block: they are called with the lock held). A watcher observes the job and cannot fail it:
 * one that throws on a live event is logged once and dropped, and the job and the other watchers go
 * on.
 */
public final class JobHandle {
    private static final Logger LOG = LoggerFactory.getLogger(JobHandle.class);

    private final TrainingJob job;
    private final Instant submittedAt;
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final List<JobEvent> history = new ArrayList<>();
    private final CopyOnWriteArrayList<Consumer<JobEvent>> watchers = new CopyOnWriteArrayList<>();
    private JobState state = JobState.QUEUED;
    private JobResult result;
    private String error = "";
    private Instant startedAt;
    private Instant finishedAt;

    JobHandle(TrainingJob job, Instant submittedAt) {
        this.job = job;
        this.submittedAt = submittedAt;
        history.add(new JobEvent(job.id(), JobState.QUEUED, null, ""));
    }

    public String id() {
        return job.id();
    }

    public TrainingJobRequest request() {
        return job.request();
    }

    TrainingJob job() {
        return job;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    public synchronized JobState state() {
        return state;
    }

    public synchronized JobResult result() {
        return result;
    }

    public synchronized String error() {
        return error;
    }

    public synchronized Instant startedAt() {
        return startedAt;
    }

    public synchronized Instant finishedAt() {
        return finishedAt;
    }

    /** The last epoch's progress, or null before the first epoch ends. */
    public synchronized JobProgress lastProgress() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).progress() != null) {
                return history.get(i).progress();
            }
        }
        return null;
    }

    public boolean cancelRequested() {
        return cancelRequested.get();
    }

    /** Asks the job to stop at its next check (between mini-batches). */
    void requestCancel() {
        cancelRequested.set(true);
    }

    /**
     * Adds a watcher: it first receives every past event, then live ones, in order. Returns a
     * runnable that removes it. What it throws while receiving the past events reaches the caller
     * (it is then not added); once it throws on a live event it is removed.
     */
    public Runnable watch(Consumer<JobEvent> watcher) {
        synchronized (this) {
            for (JobEvent e : history) {
                watcher.accept(e);
            }
            watchers.add(watcher);
        }
        return () -> watchers.remove(watcher);
    }

    void started(Instant now) {
        synchronized (this) {
            startedAt = now;
        }
        publish(new JobEvent(id(), JobState.RUNNING, null, ""));
    }

    void progress(JobProgress p) {
        publish(new JobEvent(id(), JobState.RUNNING, p, ""));
    }

    void finished(JobState s, JobResult r, String message, Instant now) {
        synchronized (this) {
            result = r;
            error = s == JobState.SUCCEEDED ? "" : message;
            finishedAt = now;
        }
        publish(new JobEvent(id(), s, null, message));
    }

    private void publish(JobEvent e) {
        // Watchers are added under the same lock, so none misses or repeats an event.
        synchronized (this) {
            state = e.state();
            history.add(e);
            for (Consumer<JobEvent> w : watchers) {
                try {
                    w.accept(e);
                } catch (RuntimeException | Error t) {
                    // Called from the job's progress callback or its end: let through, the
                    // watcher's failure (a closed gRPC stream, a client's bug, an AssertionError)
                    // would fail the job or turn its SUCCEEDED into FAILED, and it would skip the
                    // watchers after it. Removed, so it is not called (nor logged) again.
                    watchers.remove(w);
                    LOG.warn(
                            "job {}: a watcher threw on the {} event and was removed: {}",
                            id(),
                            e.state(),
                            t.toString(),
                            t);
                }
            }
        }
    }
}
