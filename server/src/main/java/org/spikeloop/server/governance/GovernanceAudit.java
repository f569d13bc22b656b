package org.spikeloop.server.governance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.security.AuditLog;

/**
 * The governance audit trail: every promotion, rollback, snapshot and policy change, kept in memory
 * for the API, appended to the server's append-only {@link AuditLog} (when given) and counted in
 * the session's {@link GovernanceMetrics} ({@code spikeloop_governance_actions_total{session,
 * action}} and the two counters the alerts use, {@code spikeloop_checkpoint_promotions_total} and
 * {@code spikeloop_checkpoint_rollbacks_total}; registered with the session, handed over here when
 * it is governed or first acted on, forgotten when it stops).
 *
 * <p>Threading: synchronised; control plane.
 */
public final class GovernanceAudit {
    private final AuditLog log;
    private final List<GovernanceEvent> events = new ArrayList<>();
    private final Map<String, GovernanceMetrics> sessions = new HashMap<>();

    /**
     * @param log the server's audit log, or null
     */
    public GovernanceAudit(AuditLog log) {
        this.log = log;
    }

    /** Counts the session's actions in its (already registered) meters. */
    public synchronized void registerSession(String sessionId, GovernanceMetrics sessionMeters) {
        sessions.put(sessionId, sessionMeters);
    }

    /** Stops counting a stopped session's actions (its meters are gone; its events stay). */
    public synchronized void forget(String sessionId) {
        sessions.remove(sessionId);
    }

    public synchronized void record(GovernanceEvent e) {
        events.add(e);
        GovernanceMetrics m = sessions.get(e.sessionId());
        if (m != null) {
            m.action(e.action());
        }
        if (log != null) {
            log.record(
                    e.who(),
                    "governance." + e.action(),
                    e.sessionId(),
                    e.fromId(),
                    String.format(
                            Locale.ROOT,
                            "%s reason=%s live_mse=%.6g reference_mse=%.6g",
                            e.toId(),
                            e.reason(),
                            e.liveMse(),
                            e.referenceMse()));
        }
    }

    /** The events of {@code sessionId} ("" for all), oldest first. */
    public synchronized List<GovernanceEvent> events(String sessionId) {
        List<GovernanceEvent> l = new ArrayList<>();
        for (GovernanceEvent e : events) {
            if (sessionId == null || sessionId.isEmpty() || e.sessionId().equals(sessionId)) {
                l.add(e);
            }
        }
        return l;
    }
}
