package org.spikeloop.server.os;

import java.util.concurrent.ThreadFactory;

/**
 * Threads that lower their own scheduling priority ({@link ThreadNice}) before they run: the
 * transport's event loops and call handlers, so that when clients flood the server with calls —
 * refused or not — the engine threads, which keep the default priority, still get a core within
 * their step period. Lowering one's own priority needs no privilege. A thread that cannot (not
 * Linux) runs at the default priority.
 *
 * <p>Threading: each thread sets its own niceness once, as it starts. Control plane.
 */
public final class NicedThreads {
    private NicedThreads() {}

    /**
     * {@code factory}'s threads, each first setting its niceness to {@code nice} (0: {@code
     * factory} itself).
     *
     * @throws IllegalArgumentException for a niceness outside 0–19
     */
    public static ThreadFactory of(ThreadFactory factory, int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("niceness: 0-19, got " + nice);
        }
        if (nice == 0) {
            return factory;
        }
        return r ->
                factory.newThread(
                        () -> {
                            ThreadNice.setCurrentThreadNice(nice);
                            r.run();
                        });
    }
}
