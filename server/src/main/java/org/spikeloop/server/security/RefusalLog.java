package org.spikeloop.server.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused calls (no or unknown token, a role too weak, malformed credentials), audited in
 * aggregate: each refusal only increments a counter, and the first {@code samples} refusals of an
 * interval are kept; once per interval with refusals in it one audit line sums them up (counts by
 * reason, the samples with who, method and peer). So a flood of unauthenticated calls costs
 * counters, not an fsync per call: the audit log's disk write rate stays one line per interval.
 *
 * <p>Line: action {@code refused.summary}, previous = the interval ({@code interval 10000 ms}),
 * next = {@code 12980 refused (UNAUTHENTICATED 12980, PERMISSION_DENIED 0); samples: ...}.
 *
 * <p>A summary the audit log cannot take (a full disk: {@link AuditLog#record} throws) is not lost:
 * its counts and samples are kept and added to the next interval's, whose line then says how many
 * earlier intervals it includes ({@code interval 10000 ms and 3 earlier ones the audit log could
 * not take}). The first failure of a streak is logged (WARN), the rest of the streak is not, and
 * the first line written after it is logged (INFO). The periodic summary never stops: a {@link
 * ScheduledExecutorService} cancels a task that throws, silently, so nothing is let out of it.
 *
 * <p>Threading: {@link #refused} from any transport thread (lock-free except while the interval's
 * first samples are taken); the summary is written by one daemon thread, and by {@link #close}.
 */
public final class RefusalLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

    /** Why a call was refused. */
    public enum Reason {
        UNAUTHENTICATED,
        PERMISSION_DENIED
    }

    /** Where summary lines go: {@link AuditLog#record}'s signature. */
    @FunctionalInterface
    interface AuditSink {
        void record(String who, String action, String sessionId, String previous, String next);
    }

    private final AuditSink audit;
    private final long intervalMs;
    private final int samples;
    private final LongAdder[] total = new LongAdder[Reason.values().length];
    private final LongAdder[] inInterval = new LongAdder[Reason.values().length];
    private final AtomicInteger sampled = new AtomicInteger();
    private final List<String> sampleLines = new ArrayList<>();
    private final ScheduledExecutorService writer;
    // Taken from the counters but not yet in the audit log (guarded by this): the next summary.
    private final long[] unwritten = new long[Reason.values().length];
    private final List<String> unwrittenSamples = new ArrayList<>();
    private int failedSummaries; // consecutive summaries the audit log could not take

    /**
     * @param audit where the summaries go (null: counted only)
     * @param intervalMs one summary line per this many milliseconds with refusals in them
     * @param samples refusals of each interval whose details the summary lists
     */
    public RefusalLog(AuditLog audit, long intervalMs, int samples) {
        this(audit == null ? null : audit::record, intervalMs, samples);
    }

    RefusalLog(AuditSink audit, long intervalMs, int samples) {
        this.audit = audit;
        this.intervalMs = intervalMs;
        this.samples = samples;
        for (int i = 0; i < total.length; i++) {
            total[i] = new LongAdder();
            inInterval[i] = new LongAdder();
        }
        this.writer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "spikeloop-refusal-audit");
                            t.setDaemon(true);
                            return t;
                        });
        writer.scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Counts one refusal (and keeps its details if the interval still takes samples). */
    public void refused(Reason reason, String who, String method, String peer) {
        total[reason.ordinal()].increment();
        inInterval[reason.ordinal()].increment();
        if (sampled.get() < samples && sampled.incrementAndGet() <= samples) {
            String line = reason + " " + method + " who=" + who + " peer=" + peer;
            synchronized (sampleLines) {
                sampleLines.add(line);
            }
        }
    }

    /** Refusals for {@code reason} since start-up. */
    public long total(Reason reason) {
        return total[reason.ordinal()].sum();
    }

    /**
     * The periodic summary. {@link #flush} handles the audit log's failures; this catches anything
     * else, because a task that throws is cancelled by its executor without a word and the
     * summaries would stop for the life of the process.
     */
    private void tick() {
        try {
            flush();
        } catch (RuntimeException | Error e) {
            LOG.error("refused-call summary failed; the next interval tries again", e);
        }
    }

    /**
     * Writes the summary of the refusals since the last written one, if there were any.
     *
     * @return false when there were refusals to write and the audit log did not take them (they are
     *     kept for the next summary)
     */
    synchronized boolean flush() {
        for (int i = 0; i < unwritten.length; i++) {
            unwritten[i] += inInterval[i].sumThenReset();
        }
        synchronized (sampleLines) {
            for (String s : sampleLines) {
                if (unwrittenSamples.size() < samples) {
                    unwrittenSamples.add(s);
                }
            }
            sampleLines.clear();
            sampled.set(0);
        }
        long sum = Arrays.stream(unwritten).sum();
        if (sum == 0 || audit == null) {
            clearUnwritten();
            return true;
        }
        String previous =
                "interval "
                        + intervalMs
                        + " ms"
                        + (failedSummaries == 0
                                ? ""
                                : " and "
                                        + failedSummaries
                                        + " earlier ones the audit log could not take");
        String next = summary(sum);
        try {
            audit.record("*", "refused.summary", "", previous, next);
        } catch (RuntimeException e) {
            if (failedSummaries++ == 0) {
                LOG.warn(
                        "refused-call summary not written: {}; its counts are kept for the next"
                                + " summary (every {} ms), and further failures are not logged"
                                + " until one is written",
                        e.getCause() == null
                                ? e.toString()
                                : e.getMessage() + ": " + e.getCause().getMessage(),
                        intervalMs);
            }
            return false;
        }
        if (failedSummaries > 0) {
            LOG.info(
                    "refused-call summary written again; it includes {} earlier summaries the"
                            + " audit log could not take",
                    failedSummaries);
        }
        clearUnwritten();
        return true;
    }

    private String summary(long sum) {
        StringBuilder next = new StringBuilder().append(sum).append(" refused (");
        for (Reason r : Reason.values()) {
            next.append(r.ordinal() == 0 ? "" : ", ").append(r).append(' ');
            next.append(unwritten[r.ordinal()]);
        }
        return next.append("); samples: ").append(String.join("; ", unwrittenSamples)).toString();
    }

    private void clearUnwritten() {
        Arrays.fill(unwritten, 0);
        unwrittenSamples.clear();
        failedSummaries = 0;
    }

    /**
     * Writes the last summary and stops the writer. A last summary the audit log cannot take goes
     * to the log (WARN) instead, whole.
     */
    @Override
    public void close() {
        // shutdown, not shutdownNow: a summary being written finishes; an interrupt would cut its
        // append short (and once closed a FileChannel-backed log for good).
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!flush()) {
                LOG.warn(
                        "refused-call summary lost at shutdown (the audit log did not take it): {}",
                        summary(Arrays.stream(unwritten).sum()));
            }
        }
    }
}
