package org.spikeloop.server.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.learn.jobs.JobCancelledException;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.registry.CheckpointRegistry;

/**
 * Submits training jobs to the {@link JobExecutor}, tracks them ({@link JobHandle}: state,
 * progress, result), cancels them, and tells listeners when one finishes (the governor uses this to
 * evaluate a new reference at once).
 *
 * <p>Threading: any thread. Control plane.
 */
public final class JobManager {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final CheckpointRegistry registry;
    private final JobExecutor executor;
    private final Clock clock;
    private final ConcurrentHashMap<String, JobHandle> jobs = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Consumer<JobHandle>> onFinished =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public JobManager(CheckpointRegistry registry, JobExecutor executor, Clock clock) {
        this.registry = registry;
        this.executor = executor;
        this.clock = clock;
    }

    public CheckpointRegistry registry() {
        return registry;
    }

    /** Called (on the job thread) after each job reaches a terminal state. */
    public void onFinished(Consumer<JobHandle> listener) {
        onFinished.add(listener);
    }

    /**
     * Queues a job.
     *
     * @throws InvalidJobException for a malformed request (checked before queueing)
     * @throws RejectedExecutionException when the job queue is full
     */
    public JobHandle submit(TrainingJobRequest request) {
        String id = "job-" + clock.millis() + "-" + sequence.incrementAndGet();
        TrainingJob job = new TrainingJob(id, request, registry, executor.threadsPerJob());
        JobHandle h = new JobHandle(job, Instant.now(clock));
        jobs.put(id, h);
        try {
            executor.execute(() -> run(h));
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            throw new RejectedExecutionException(
                    "jobs: the job queue is full; retry when a job has finished", e);
        }
        return h;
    }

    /** The job {@code id}. */
    public Optional<JobHandle> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /**
     * The job {@code id}.
     *
     * @throws ServerException NOT_FOUND naming the id
     */
    public JobHandle require(String id) {
        JobHandle h = jobs.get(id);
        if (h == null) {
            throw ServerException.notFound("id: no job '" + id + "'");
        }
        return h;
    }

    /** Jobs, newest first; {@code sessionId} "" for all. */
    public List<JobHandle> list(String sessionId) {
        List<JobHandle> l = new ArrayList<>();
        for (JobHandle h : jobs.values()) {
            if (sessionId == null
                    || sessionId.isEmpty()
                    || sessionId.equals(h.request().sessionId())) {
                l.add(h);
            }
        }
        l.sort(
                Comparator.comparing(JobHandle::submittedAt)
                        .thenComparing(JobHandle::id)
                        .reversed());
        return l;
    }

    /** Whether {@code sessionId} has a job queued or running. */
    public boolean busy(String sessionId) {
        for (JobHandle h : jobs.values()) {
            if (h.request().sessionId().equals(sessionId) && !h.state().terminal()) {
                return true;
            }
        }
        return false;
    }

    /** Requests cancellation; a queued job is cancelled before it starts. */
    public Optional<JobHandle> cancel(String id) {
        JobHandle h = jobs.get(id);
        if (h != null) {
            h.requestCancel();
        }
        return Optional.ofNullable(h);
    }

    private void run(JobHandle h) {
        if (h.cancelRequested()) {
            h.finished(JobState.CANCELLED, null, "cancelled before it started", Instant.now(clock));
            notifyFinished(h);
            return;
        }
        h.started(Instant.now(clock));
        try {
            JobResult r = h.job().run(h::progress, h::cancelRequested);
            h.finished(JobState.SUCCEEDED, r, r.checkpoint().id(), Instant.now(clock));
        } catch (JobCancelledException e) {
            h.finished(JobState.CANCELLED, null, e.getMessage(), Instant.now(clock));
        } catch (RuntimeException e) {
            LOG.warn("job {} failed: {}", h.id(), e.getMessage());
            h.finished(JobState.FAILED, null, String.valueOf(e.getMessage()), Instant.now(clock));
        } catch (Error e) {
            // A StackOverflowError, an OutOfMemoryError, an AssertionError out of training or
            // out of registering its result (not out of a watcher: JobHandle contains those):
            // the job failed like any other and must not stay RUNNING (its watchers' streams
            // would never end, and busy(session) would block that session's periodic jobs for
            // the life of the process).
            //
            // Not rethrown, VirtualMachineErrors included: on this pool thread a rethrow would
            // only end the worker (the executor replaces it at once) and print the same trace
            // to stderr a second time; nobody would act on it. The Error is contained here: the
            // stack is unwound, the job's allocations are garbage, and the job holds no lock or
            // resource the server needs. Whether the process should die on an OutOfMemoryError
            // is the JVM's decision (ops runs with -XX:+ExitOnOutOfMemoryError, which exits
            // before any catch), not this thread's.
            LOG.error("job {} failed: {}", h.id(), e.toString(), e);
            h.finished(JobState.FAILED, null, e.toString(), Instant.now(clock));
        }
        notifyFinished(h);
    }

    private void notifyFinished(JobHandle h) {
        // Every listener runs whatever the ones before it threw. An Error (an AssertionError, a
        // StackOverflowError) is logged and contained like an Error out of the job in run(): let
        // through, it would skip the remaining listeners (the governor would never evaluate the
        // new reference) and end this pool worker for nothing.
        for (Consumer<JobHandle> l : onFinished) {
            try {
                l.accept(h);
            } catch (RuntimeException e) {
                LOG.warn("job {}: a finish listener failed", h.id(), e);
            } catch (Error e) {
                LOG.error("job {}: a finish listener failed: {}", h.id(), e.toString(), e);
            }
        }
    }
}
