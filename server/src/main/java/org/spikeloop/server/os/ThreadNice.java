package org.spikeloop.server.os;

import com.sun.jna.Platform;

/**
 * Lowers the calling thread's scheduling priority with Linux {@code setpriority(PRIO_PROCESS, tid,
 * nice)}. Java thread priorities are ignored by the Linux scheduler unless the JVM runs with {@code
 * -XX:ThreadPriorityPolicy=1} as root, so the job threads set their own nice value; threads they
 * start (BPTT workers) inherit it.
 *
 * <p>Threading: affects only the calling thread. Control plane.
 */
public final class ThreadNice {
    private ThreadNice() {}

    /**
     * Sets the calling thread's nice value.
     *
     * @return the nice value now in effect, or Integer.MIN_VALUE when not supported here
     */
    public static int setCurrentThreadNice(int nice) {
        if (!Platform.isLinux()) {
            return Integer.MIN_VALUE;
        }
        int tid = LibC.currentTid();
        if (LibC.get().setpriority(0, tid, nice) != 0) {
            return Integer.MIN_VALUE;
        }
        return LibC.get().getpriority(0, tid);
    }

    /** The calling thread's nice value (Linux), else Integer.MIN_VALUE. */
    public static int currentThreadNice() {
        if (!Platform.isLinux()) {
            return Integer.MIN_VALUE;
        }
        return LibC.get().getpriority(0, LibC.currentTid());
    }
}
