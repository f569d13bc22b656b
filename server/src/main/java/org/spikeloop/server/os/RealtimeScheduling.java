package org.spikeloop.server.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;

/**
 * Puts the calling thread under Linux's real-time {@code SCHED_FIFO} policy ({@code
 * sched_setscheduler(tid, SCHED_FIFO, {priority})}). A FIFO thread is never preempted by ordinary
 * (CFS) threads: when a sample arrives while liblsl's, Netty's or the benchmark's threads hold the
 * CPU, the engine thread runs at once instead of waiting for its fair share. Measured on 2 cores
 * with 8 sessions, it was preempted about 6 000 times a second under CFS (docs/benchmarks.md).
 *
 * <p>The thread must block as soon as it is idle (a FIFO thread that spins keeps the core from
 * every other thread), so {@code engine.realtimePriority} goes with {@code
 * engine.idleStrategy=sleep} (checked by {@link org.spikeloop.server.config.ServerConfig}). Needs
 * {@code CAP_SYS_NICE} or an {@code RLIMIT_RTPRIO} of at least the priority; without it the call
 * fails with EPERM and the thread stays as it was.
 *
 * <p>Threading: affects only the calling thread. Control plane (once per pool thread).
 */
public final class RealtimeScheduling {
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    private static final int EPERM = 1;

    private RealtimeScheduling() {}

    /**
     * Makes the calling thread SCHED_FIFO at {@code priority} (1–99).
     *
     * @return null when done, else why not (to be logged: the thread keeps its policy)
     */
    public static String setCurrentThreadFifo(int priority) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("SCHED_FIFO priority: 1-99, got " + priority);
        }
        if (!Platform.isLinux()) {
            return "SCHED_FIFO is Linux only";
        }
        try {
            LibC.get().sched_setscheduler(LibC.currentTid(), SCHED_FIFO, new int[] {priority});
            return null;
        } catch (LastErrorException e) {
            return e.getErrorCode() == EPERM
                    ? "not permitted (EPERM): the process needs CAP_SYS_NICE or an RLIMIT_RTPRIO"
                            + " of at least "
                            + priority
                    : "sched_setscheduler failed: errno " + e.getErrorCode();
        } catch (UnsatisfiedLinkError e) {
            return "no libc to call: " + e.getMessage();
        }
    }

    /** The calling thread's scheduling policy (SCHED_OTHER, SCHED_FIFO, ...), or −1 off Linux. */
    public static int currentThreadPolicy() {
        if (!Platform.isLinux()) {
            return -1;
        }
        return LibC.get().sched_getscheduler(LibC.currentTid());
    }
}
