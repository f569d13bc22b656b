package org.spikeloop.server.os;

import com.sun.jna.Platform;

/**
 * Sets the calling thread's Linux timer slack ({@code prctl(PR_SET_TIMERSLACK)}): how late the
 * kernel may wake a sleeping thread so that it can batch wake-ups, 50 µs by default. An idle
 * strategy that parks for at most 50 µs otherwise sleeps up to twice that, and every sample waits
 * out the rest of the park before the engine thread sees it.
 *
 * <p>Threading: affects only the calling thread. Control plane (once per pool thread).
 */
public final class TimerSlack {
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    /** Slack the agent pools' threads ask for. */
    public static final long POOL_SLACK_NS = 1_000;

    private TimerSlack() {}

    /** The calling thread's timer slack (ns), or −1 where not supported. */
    public static long currentThread() {
        if (!Platform.isLinux()) {
            return -1;
        }
        try {
            return LibC.get().prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        } catch (UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /**
     * Sets the calling thread's timer slack.
     *
     * @return the slack now in effect (ns), or −1 where not supported (not Linux, or refused)
     */
    public static long setCurrentThread(long slackNs) {
        if (!Platform.isLinux()) {
            return -1;
        }
        try {
            if (LibC.get().prctl(PR_SET_TIMERSLACK, slackNs, 0, 0, 0) != 0) {
                return -1;
            }
            return LibC.get().prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
        } catch (UnsatisfiedLinkError e) {
            return -1; // no libc to call: the thread keeps the default slack
        }
    }
}
