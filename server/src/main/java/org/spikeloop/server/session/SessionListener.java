package org.spikeloop.server.session;

import org.spikeloop.server.ServerException;

/**
 * Told by {@link SessionManager} when a session starts and stops, so modules built after it (the
 * checkpoint governance) can record and forget per-session state without the session package
 * depending on them.
 *
 * <p>Threading: called on the creating/stopping control-plane thread; must not block for long.
 */
public interface SessionListener {
    /**
     * A session has started and is about to be listed. Throwing a {@link ServerException} fails the
     * creation: the session is stopped and the error goes to the caller.
     */
    void created(Session session, String who);

    /** A session has stopped and is no longer listed. */
    void stopped(String sessionId);
}
