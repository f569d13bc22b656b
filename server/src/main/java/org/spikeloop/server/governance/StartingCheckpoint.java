package org.spikeloop.server.governance;

import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionListener;

/**
 * Keeps {@link SessionCheckpoints} in step with the sessions' lives: a session created from a
 * registry id ({@code CreateSession.decoder.registry_id}) gets that checkpoint as its ACTIVE role
 * (where its rollback and lineage start); a stopped session's rollback history is forgotten (its
 * registry roles stay).
 *
 * <p>Threading: called by {@code SessionManager} on control-plane threads; registry file I/O.
 */
final class StartingCheckpoint implements SessionListener {
    private final SessionCheckpoints checkpoints;

    StartingCheckpoint(SessionCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public void created(Session session, String who) {
        if (session.config().decoder() instanceof DecoderSource.FromRegistry r) {
            checkpoints.startFrom(new EngineSessionControl(session), r.id(), who);
        }
    }

    @Override
    public void stopped(String sessionId) {
        checkpoints.forget(sessionId);
    }
}
