package org.spikeloop.server.session;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Sets the calling thread's Linux timer slack ({@code prctl(PR_SET_TIMERSLACK)}): how late the
 * kernel may wake a sleeping thread so that it can batch wake-ups, 50 µs by default. An idle
 * strategy that parks for at most 50 µs otherwise sleeps up to twice that, and every sample waits
 * out the rest of the park before the engine thread sees it.
 *
 * <p>Threading: affects only the calling thread. Control plane (once per pool thread).
 */
final class TimerSlack {
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    /** Slack the agent pools' threads ask for. */
    static final long POOL_SLACK_NS = 1_000;

    private TimerSlack() {}

    /** libc's prctl. */
    interface LibC extends Library {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    /** The calling thread's timer slack (ns), or −1 where not supported. */
    static long currentThread() {
        if (!Platform.isLinux()) {
            return -1;
        }
        try {
            return Holder.C.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        } catch (UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /**
     * Sets the calling thread's timer slack.
     *
     * @return the slack now in effect (ns), or −1 where not supported (not Linux, or refused)
     */
    static long setCurrentThread(long slackNs) {
        if (!Platform.isLinux()) {
            return -1;
        }
        try {
            if (Holder.C.prctl(PR_SET_TIMERSLACK, slackNs, 0, 0, 0) != 0) {
                return -1;
            }
            return Holder.C.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        } catch (UnsatisfiedLinkError e) {
            return -1; // no libc to call: the thread keeps the default slack
        }
    }
}
