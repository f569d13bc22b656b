package org.spikeloop.app.bench;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.spikeloop.server.os.RealtimeScheduling;
import org.spikeloop.server.os.TimerSlack;

/**
 * A thread that does what an idle real-time engine does and nothing else: it sleeps until the next
 * period boundary ({@code periodNs}, the engine's dt) and checks how late it woke. A wake-up later
 * than its boundary plus one period is a miss, the engine's deadline rule applied to a thread with
 * no work: what the machine (other processes, the hypervisor, the collector's pauses — it is a Java
 * thread in the server's JVM) does to a thread scheduled as the engines are at the same time as the
 * load. Its timer slack is the engine threads' 1 µs, so its parks end when asked. Given a real-time
 * priority it takes {@code SCHED_FIFO} at that priority, as real-time engine threads do (where the
 * OS refuses, it stays an ordinary thread and {@link #realtime} says so); at 0 it is an ordinary
 * thread, which the machine delays more.
 *
 * <p>Counts only boundaries inside the window [{@link #window}); keeps the boundary of each miss
 * (up to {@link #MAX_MISSES}) for the GC overlap check. Threading: its own thread ({@code
 * e2e-probe}); the results are read after {@link #stop}. Allocation: none while probing.
 */
final class DeadlineProbe implements AutoCloseable {
    static final int MAX_MISSES = 100_000;

    private final long periodNs;
    private final Thread thread;
    private final Histogram latenessNs = new Histogram(60_000_000_000L, 3);
    private final long[] missedAtNs = new long[MAX_MISSES];
    private final int fifoPriority;
    private volatile boolean running = true;
    private volatile boolean realtime;
    private volatile long fromNs = Long.MAX_VALUE;
    private volatile long toNs = Long.MAX_VALUE;
    private long misses;
    private long boundaries;

    /**
     * @param name its thread's name
     * @param fifoPriority the {@code SCHED_FIFO} priority it takes (1–99), or 0: an ordinary thread
     */
    DeadlineProbe(long periodNs, String name, int fifoPriority) {
        this.periodNs = periodNs;
        this.fifoPriority = fifoPriority;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Counts the boundaries in [from, to) on the nanoTime clock. */
    void window(long fromNanos, long toNanos) {
        this.toNs = toNanos;
        this.fromNs = fromNanos;
    }

    private void run() {
        TimerSlack.setCurrentThread(TimerSlack.POOL_SLACK_NS);
        if (fifoPriority > 0) {
            // Refused: it probes as an ordinary thread, which realtime() reports.
            realtime = RealtimeScheduling.setCurrentThreadFifo(fifoPriority) == null;
        }
        long next = System.nanoTime();
        while (running) {
            next += periodNs;
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long late = System.nanoTime() - next;
            next +=
                    account(next, late)
                            * periodNs; // the boundaries slept through are counted, not served
        }
    }

    /**
     * Accounts one wake-up {@code lateNs} after the boundary {@code boundaryNs}: every boundary
     * whose deadline (boundary + period) passed before it is a miss, as every sample arriving
     * during an engine's stall is, and the wake-up serves the boundary after them. Each of these
     * boundaries counts only if it lies inside the window, so a stall that straddles the window's
     * end counts the boundaries before the end and no more. The lateness is recorded once per
     * wake-up whose boundary is inside the window.
     *
     * @return the number of boundaries slept through
     */
    long account(long boundaryNs, long lateNs) {
        long missed = lateNs > periodNs ? (lateNs - 1) / periodNs : 0;
        if (boundaryNs >= fromNs && boundaryNs < toNs) {
            latenessNs.recordValue(Math.min(lateNs, latenessNs.getHighestTrackableValue()));
        }
        for (long k = 0; k <= missed; k++) {
            long boundary = boundaryNs + k * periodNs;
            if (boundary < fromNs || boundary >= toNs) {
                continue;
            }
            boundaries++;
            if (k < missed) {
                if (misses < MAX_MISSES) {
                    missedAtNs[(int) misses] = boundary;
                }
                misses++;
            }
        }
        return missed;
    }

    /** Stops the thread and waits for it; results may be read afterwards. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }

    /** Whether the probe ran under {@code SCHED_FIFO} (read after {@link #close}). */
    boolean realtime() {
        return realtime;
    }

    /** Period boundaries in the window whose deadline passed before the probe woke. */
    long misses() {
        return misses;
    }

    /** Period boundaries in the window (served or missed). */
    long boundaries() {
        return boundaries;
    }

    Histogram latenessNs() {
        return latenessNs;
    }

    /** Misses whose sleep [boundary − period, boundary + lateness] overlapped a GC pause. */
    int missesInPauses(java.util.List<GcPauseLog.Pause> pauses) {
        int n = 0;
        for (int i = 0; i < (int) Math.min(misses, MAX_MISSES); i++) {
            if (GcPauseLog.overlapsAny(pauses, missedAtNs[i], missedAtNs[i] + periodNs, 0)) {
                n++;
            }
        }
        return n;
    }
}
