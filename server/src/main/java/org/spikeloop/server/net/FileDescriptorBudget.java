package org.spikeloop.server.net;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Checks at start-up that the connection caps leave file descriptors for the server's own work:
 * every listener's {@code maxConnections}, plus {@link #BASE_RESERVE} for the JVM, its jars and the
 * registry, plus {@link #PER_SESSION_RESERVE} per session (its recording, LSL sockets), must fit
 * within the process's limit ({@code ulimit -n}). Otherwise a flood of connections could take the
 * descriptor a session's recording or a checkpoint needs: the issue saw CreateSession answer OK
 * without its recording and snapshots fail INTERNAL at the limit.
 */
public final class FileDescriptorBudget {
    /** Descriptors the JVM, its jars, the audit log and the registry hold (measured: 60-80). */
    public static final int BASE_RESERVE = 100;

    /** Descriptors one session may hold: its recording, LSL inlet/outlet sockets, resolvers. */
    public static final int PER_SESSION_RESERVE = 16;

    private FileDescriptorBudget() {}

    /** The process's descriptor limit, or -1 where the JVM cannot tell (not a Unix). */
    public static long processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** Descriptors the configuration may need at once. */
    public static long needed(int connections, int maxSessions) {
        return (long) connections + BASE_RESERVE + (long) PER_SESSION_RESERVE * maxSessions;
    }

    /**
     * Why the configuration does not fit {@code limit}, or null when it does (or the limit is
     * unknown).
     *
     * @param connections the sum of every listener's {@code maxConnections}
     */
    public static String check(int connections, int maxSessions, long limit) {
        long need = needed(connections, maxSessions);
        if (limit < 0 || need <= limit) {
            return null;
        }
        return "transport.maxConnections, http.maxConnections and limits.maxSessions need up to "
                + need
                + " file descriptors ("
                + connections
                + " connections + "
                + BASE_RESERVE
                + " + "
                + PER_SESSION_RESERVE
                + " per session), but this process may open "
                + limit
                + " (ulimit -n): lower them or raise the limit";
    }
}
