package org.spikeloop.server.os;

import com.sun.jna.Platform;
import java.util.concurrent.TimeUnit;

/**
 * Follows this process's parent for {@code --exit-with-parent}: the parent's id is read with {@code
 * getppid()} (Linux), which needs no file descriptor — {@code ProcessHandle.onExit} of a process
 * that is not our child polls {@code /proc} and took a failed open at the descriptor limit for an
 * exit, ending a server whose parent was alive. The id to follow is taken as early as possible
 * ({@link #current()} at start-up, before anything slow), and the watch compares against it: a
 * parent that exits while the server is still starting is noticed at the first check, where asking
 * for "the parent" only after start-up would have found the process that adopted the orphan.
 *
 * <p>Threading: {@link #watch} starts one daemon thread.
 */
public final class ParentProcess {
    /** How often the watch reads the parent's id. */
    public static final long POLL_MS = 200;

    private ParentProcess() {}

    /** This process's parent's id now (-1 if there is none). */
    public static long current() {
        if (Platform.isLinux()) {
            return LibC.get().getppid();
        }
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** Whether a process whose parent was {@code parentPid} has lost it. */
    public static boolean isGone(long parentPid) {
        return parentPid <= 1 || current() != parentPid;
    }

    /**
     * Calls {@code onExit} once, on a daemon thread, as soon as this process's parent is no longer
     * {@code parentPid} (it exited and the process was re-parented), or at once when {@code
     * parentPid} is init's (the parent exited before it could be read).
     */
    public static Thread watch(long parentPid, Runnable onExit) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                while (!isGone(parentPid)) {
                                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                                }
                                onExit.run();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "spikeloop-parent-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
