package org.spikeloop.server.governance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.server.metrics.GovernanceMeters;
import org.spikeloop.server.security.AuditLog;

/**
 * The governance audit trail: every promotion, rollback, snapshot and policy change, kept in memory
 * for the API, appended to the server's append-only {@link AuditLog} (when given) and counted in
 * {@code spikeloop_governance_actions_total{session, action}}, plus the two counters the alerts
 * use, {@code spikeloop_checkpoint_promotions_total{session}} and {@code
 * spikeloop_checkpoint_rollbacks_total{session}}, which belong to the session's {@link
 * GovernanceMeters} (registered with the session, handed over when it is governed).
 *
 * <p>Threading: synchronised; control plane.
 */
public final class GovernanceAudit {
    private final AuditLog log;
    private final MeterRegistry meters;
    private final List<GovernanceEvent> events = new ArrayList<>();
    private final Map<String, GovernanceMeters> sessions = new HashMap<>();

    /**
     * @param log the server's audit log, or null
     * @param meters where the action counter is registered
     */
    public GovernanceAudit(AuditLog log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
    }

    /** Counts the session's promotions and rollbacks in its (already registered) meters. */
    public synchronized void registerSession(String sessionId, GovernanceMeters sessionMeters) {
        sessions.put(sessionId, sessionMeters);
    }

    public synchronized void record(GovernanceEvent e) {
        events.add(e);
        GovernanceMeters m = sessions.get(e.sessionId());
        if (m != null && e.action().equals("promote")) {
            m.promoted();
        } else if (m != null && e.action().equals("rollback")) {
            m.rolledBack();
        }
        Counter.builder("spikeloop_governance_actions")
                .description("Governance actions (promote, rollback, snapshot, policy)")
                .tag("session", e.sessionId())
                .tag("action", e.action())
                .register(meters)
                .increment();
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
