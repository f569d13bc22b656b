package org.spikeloop.server.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls the thread-tuning classes of this package make, bound once (JNA interface mapping:
 * these run once per thread, never on a hot path). Linux only; callers check {@link
 * Platform#isLinux()} first.
 */
interface LibC extends Library {
    int SYS_GETTID_X86_64 = 186;
    int SYS_GETTID_AARCH64 = 178;

    long syscall(long number);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int setpriority(int which, int who, int prio);

    int getpriority(int which, int who);

    /** The parent's process id: a system call, no file descriptor needed (unlike /proc). */
    int getppid();

    int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    int sched_getscheduler(int pid);

    /** libc, loaded on first use. */
    static LibC get() {
        return Holder.C;
    }

    /** The calling thread's kernel id ({@code gettid()}, which glibc before 2.30 does not wrap). */
    static int currentTid() {
        return (int) Holder.C.syscall(Platform.isARM() ? SYS_GETTID_AARCH64 : SYS_GETTID_X86_64);
    }

    /** Lazy holder: the library loads when a thread first asks. */
    final class Holder {
        static final LibC C = Native.load("c", LibC.class);

        private Holder() {}
    }
}
