package org.spikeloop.server.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refused calls (no or unknown token, a role too weak, malformed credentials), audited in
 * aggregate: each refusal only increments a counter, and the first {@code samples} refusals of an
 * interval are kept; once per interval with refusals in it one audit line sums them up (counts by
 * reason, the samples with who, method and peer). So a flood of unauthenticated calls costs
 * counters, not an fsync per call: the audit log's disk write rate stays one line per interval.
 *
 * <p>Line: action {@code refused.summary}, previous = the interval ({@code 10 s}), next = {@code
 * 12980 refused (UNAUTHENTICATED 12980, PERMISSION_DENIED 0); samples: ...}.
 *
 * <p>Threading: {@link #refused} from any transport thread (lock-free except while the interval's
 * first samples are taken); the summary is written by one daemon thread, and by {@link #close}.
 */
public final class RefusalLog implements AutoCloseable {
    /** Why a call was refused. */
    public enum Reason {
        UNAUTHENTICATED,
        PERMISSION_DENIED
    }

    private final AuditLog audit;
    private final long intervalMs;
    private final int samples;
    private final LongAdder[] total = new LongAdder[Reason.values().length];
    private final LongAdder[] inInterval = new LongAdder[Reason.values().length];
    private final AtomicInteger sampled = new AtomicInteger();
    private final List<String> sampleLines = new ArrayList<>();
    private final ScheduledExecutorService writer;

    /**
     * @param audit where the summaries go (null: counted only)
     * @param intervalMs one summary line per this many milliseconds with refusals in them
     * @param samples refusals of each interval whose details the summary lists
     */
    public RefusalLog(AuditLog audit, long intervalMs, int samples) {
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
        writer.scheduleAtFixedRate(this::flush, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
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

    /** Writes the summary of the refusals since the last one, if there were any. */
    synchronized void flush() {
        long[] counts = new long[inInterval.length];
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = inInterval[i].sumThenReset();
            sum += counts[i];
        }
        List<String> taken;
        synchronized (sampleLines) {
            taken = List.copyOf(sampleLines);
            sampleLines.clear();
            sampled.set(0);
        }
        if (sum == 0 || audit == null) {
            return;
        }
        StringBuilder next = new StringBuilder().append(sum).append(" refused (");
        for (Reason r : Reason.values()) {
            next.append(r.ordinal() == 0 ? "" : ", ").append(r).append(' ');
            next.append(counts[r.ordinal()]);
        }
        next.append("); samples: ").append(String.join("; ", taken));
        audit.record("*", "refused.summary", "", "interval " + intervalMs + " ms", next.toString());
    }

    /** Writes the last summary and stops the writer. */
    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
