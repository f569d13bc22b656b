package org.spikeloop.server.jobs;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Lowers the calling thread's scheduling priority with Linux {@code setpriority(PRIO_PROCESS, tid,
 * nice)}. Java thread priorities are ignored by the Linux scheduler unless the JVM runs with {@code
 * -XX:ThreadPriorityPolicy=1} as root, so the job threads set their own nice value; threads they
 * start (BPTT workers) inherit it.
 *
 * <p>Threading: affects only the calling thread. Control plane.
 */
final class ThreadNice {
    private static final int SYS_GETTID_X86_64 = 186;
    private static final int SYS_GETTID_AARCH64 = 178;

    private ThreadNice() {}

    /** libc entry points. */
    interface LibC extends Library {
        long syscall(long number);

        int setpriority(int which, int who, int prio);

        int getpriority(int which, int who);
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    /**
     * Sets the calling thread's nice value.
     *
     * @return the nice value now in effect, or Integer.MIN_VALUE when not supported here
     */
    static int setCurrentThreadNice(int nice) {
        if (!Platform.isLinux()) {
            return Integer.MIN_VALUE;
        }
        int nr = Platform.isARM() ? SYS_GETTID_AARCH64 : SYS_GETTID_X86_64;
        int tid = (int) Holder.C.syscall(nr);
        if (Holder.C.setpriority(0, tid, nice) != 0) {
            return Integer.MIN_VALUE;
        }
        return Holder.C.getpriority(0, tid);
    }

    /** The calling thread's nice value (Linux), else Integer.MIN_VALUE. */
    static int currentThreadNice() {
        if (!Platform.isLinux()) {
            return Integer.MIN_VALUE;
        }
        int nr = Platform.isARM() ? SYS_GETTID_AARCH64 : SYS_GETTID_X86_64;
        return Holder.C.getpriority(0, (int) Holder.C.syscall(nr));
    }
}
