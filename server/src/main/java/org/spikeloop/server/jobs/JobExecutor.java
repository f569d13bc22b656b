package org.spikeloop.server.jobs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.os.ThreadNice;

/**
 * The bounded background executor for offline jobs: at most {@code threads} jobs run at once, at
 * most {@code queueCapacity} wait (then {@link java.util.concurrent.RejectedExecutionException}),
 * and every job thread runs at a lowered OS priority (nice {@code nice}) with Java's minimum
 * priority, so a job competes for CPU only with what the decoder engines leave idle. Each job also
 * gets at most {@link #threadsPerJob()} BPTT workers (they inherit the nice value).
 *
 * <p>Threading: {@link #execute} from any thread.
 */
public final class JobExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);

    private final ThreadPoolExecutor pool;
    private final int threadsPerJob;
    private final int nice;

    /**
     * @param threads concurrent jobs, &ge; 1
     * @param queueCapacity waiting jobs, &ge; 1
     * @param threadsPerJob BPTT workers per job, &ge; 1
     * @param nice Linux nice value for job threads (0..19; 10 by default)
     */
    public JobExecutor(int threads, int queueCapacity, int threadsPerJob, int nice) {
        if (threads < 1 || queueCapacity < 1 || threadsPerJob < 1) {
            throw new IllegalArgumentException(
                    "jobs.threads, jobs.queueCapacity and jobs.threadsPerJob must be >= 1, got "
                            + threads
                            + ", "
                            + queueCapacity
                            + ", "
                            + threadsPerJob);
        }
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("jobs.nice must be in 0..19, got " + nice);
        }
        this.threadsPerJob = threadsPerJob;
        this.nice = nice;
        AtomicInteger n = new AtomicInteger();
        this.pool =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(queueCapacity),
                        r -> {
                            Thread t =
                                    new Thread(
                                            () -> {
                                                lowerPriority();
                                                r.run();
                                            },
                                            "spikeloop-job-" + n.incrementAndGet());
                            t.setDaemon(true);
                            t.setPriority(Thread.MIN_PRIORITY);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
    }

    /** One job thread, one queued job, one BPTT worker, nice 10. */
    public static JobExecutor defaults() {
        return new JobExecutor(1, 16, 1, 10);
    }

    public int threadsPerJob() {
        return threadsPerJob;
    }

    /**
     * @throws java.util.concurrent.RejectedExecutionException when the queue is full
     */
    public void execute(Runnable job) {
        pool.execute(job);
    }

    private void lowerPriority() {
        try {
            int now = ThreadNice.setCurrentThreadNice(nice);
            if (now == Integer.MIN_VALUE) {
                LOG.warn(
                        "job thread: cannot lower the OS priority here; running at Java MIN_PRIORITY");
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn(
                    "job thread: cannot lower the OS priority ({}); running at MIN_PRIORITY",
                    e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
