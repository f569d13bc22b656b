package org.spikeloop.server.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.learn.jobs.HeldOutEvaluation;
import org.spikeloop.learn.jobs.HeldOutScore;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.Role;
import org.spikeloop.server.registry.SessionRoles;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.params.NetworkParams;

/**
 * Checkpoint governance of sessions: shadow evaluation of the live decoder against the session's
 * reference on recent labelled data, the session's policy (manual, auto-promote, auto-rollback with
 * weight guards), and the operator actions (promote, roll back, snapshot, set policy). Every action
 * updates the registry roles and is recorded in {@link GovernanceAudit}; shadow scores go to the
 * gauges {@code spikeloop_shadow_squared_error{session, decoder=live|reference}} of the session's
 * {@link GovernanceMetrics} (registered with the session, NaN until the first evaluation).
 *
 * <p>Roles (changed through {@link SessionCheckpoints}, shared with the LearningService): promotion
 * makes the reference ACTIVE and LAST_GOOD (it has just beaten the live decoder on held-out data);
 * a rollback loads LAST_GOOD into the engine (also when the live weights are non-finite: they are
 * dropped, not snapshotted, and the audit says so) and makes it ACTIVE and the engine's active id;
 * a snapshot registers the live weights and makes them ACTIVE. Besides the operator's snapshots,
 * each evaluation tick snapshots the live (e-prop-evolving) weights of every session whose policy's
 * {@code snapshotEveryS} has elapsed since its last snapshot, promotion or rollback (audited as
 * {@code snapshot} by {@code policy:periodic}, parent = the previous ACTIVE); weights the guard
 * refuses are not snapshotted (audited as {@code snapshot-skipped}).
 *
 * <p>Threading: actions on a session are serialised per session; {@link #start} runs {@link #tick}
 * (evaluations and periodic snapshots) on one low-priority background thread. Never touches the
 * engine except through {@link SessionControl} commands.
 */
public final class Governor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Governor.class);

    /** Who the periodic snapshots are audited as. */
    public static final String PERIODIC = "policy:periodic";

    /** Gauge of the shadow scores (MSE), tagged session and decoder = live | reference. */
    public static final String SHADOW_GAUGE = GovernanceMetrics.SHADOW_GAUGE;

    private final CheckpointRegistry registry;
    private final GovernanceAudit audit;
    private final SessionCheckpoints checkpoints;
    private final Clock clock;
    private final ConcurrentHashMap<String, Governed> sessions = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    /** One governed session. */
    private static final class Governed {
        final SessionControl control;
        final RecentData data;
        volatile GovernancePolicy policy;
        final AtomicReference<ShadowScores> last = new AtomicReference<>();
        int consecutiveBad;

        /** When the ACTIVE role last matched the live weights (snapshot, promotion, rollback). */
        Instant activeSince;

        Governed(SessionControl control, RecentData data, GovernancePolicy policy) {
            this.control = control;
            this.data = data;
            this.policy = policy;
        }
    }

    public Governor(CheckpointRegistry registry, GovernanceAudit audit, Clock clock) {
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.checkpoints = new SessionCheckpoints(registry, audit, clock, this::lastScores);
    }

    /** Snapshot, load and roll back of any session's checkpoints (shared with LearningService). */
    public SessionCheckpoints checkpoints() {
        return checkpoints;
    }

    private ShadowScores lastScores(String sessionId) {
        Governed g = sessions.get(sessionId);
        return g == null ? null : g.last.get();
    }

    /**
     * Puts a session under governance: its current weights are snapshotted into the registry and
     * become ACTIVE and LAST_GOOD (the known starting point a rollback can return to).
     */
    public RegistryEntry govern(
            SessionControl control, RecentData data, GovernancePolicy policy, String who) {
        Governed g = new Governed(control, data, policy);
        if (sessions.putIfAbsent(control.sessionId(), g) != null) {
            throw new IllegalArgumentException(
                    "session " + control.sessionId() + " is already governed");
        }
        String s = control.sessionId();
        audit.registerSession(s, control.governanceMeters());
        synchronized (g) {
            RegistryEntry e = snapshotLocked(g, g.control.exportLive(), who, "start of governance");
            registry.setRole(s, Role.LAST_GOOD, e.id());
            audit.record(
                    event(s, "policy", who, "initial policy: " + policy.describe(), g, "", ""));
            return e;
        }
    }

    /** Runs {@link #tick} every {@code periodMs} on a background thread. */
    public synchronized void start(long periodMs) {
        if (scheduler != null) {
            return;
        }
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "spikeloop-governor");
                            t.setDaemon(true);
                            t.setPriority(Thread.MIN_PRIORITY);
                            return t;
                        });
        scheduler.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * One evaluation tick: shadow-evaluates every governed session and applies its policy, then
     * snapshots its live weights if its snapshot period has elapsed. A failure of one session is
     * logged and does not stop the others.
     */
    public void tick() {
        for (String id : sessions.keySet()) {
            try {
                evaluate(id);
            } catch (RuntimeException e) {
                LOG.warn("governance of {}: evaluation failed: {}", id, e.getMessage());
            }
            try {
                snapshotIfDue(id);
            } catch (RuntimeException e) {
                LOG.warn("governance of {}: periodic snapshot failed: {}", id, e.getMessage());
            }
        }
    }

    /**
     * Snapshots the live weights of {@code sessionId} when its policy's {@code snapshotEveryS} (not
     * 0) has elapsed since the ACTIVE checkpoint last matched them. Weights the guard refuses
     * (non-finite, norm above the limit) are not registered: the skip is audited and the period
     * restarts. Unchanged weights (same content id as ACTIVE) only restart the period.
     *
     * @return the new entry, or null when nothing was registered
     */
    public RegistryEntry snapshotIfDue(String sessionId) {
        Governed g = governed(sessionId);
        synchronized (g) {
            long periodS = g.policy.snapshotEveryS();
            Instant now = Instant.now(clock);
            if (periodS == 0 || now.isBefore(g.activeSince.plusSeconds(periodS))) {
                return null;
            }
            NetworkParams live;
            String guard;
            try {
                live = g.control.exportLive();
                guard = WeightGuard.check(live, g.policy.weightNormLimit());
            } catch (IllegalStateException e) {
                throw e; // the engine did not answer: try again on the next tick
            } catch (RuntimeException e) {
                live = null;
                guard = "non-finite or invalid live weights: " + e.getMessage();
            }
            if (guard != null) {
                g.activeSince = now;
                String active = nz(registry.roles(sessionId).active());
                audit.record(
                        event(
                                sessionId,
                                "snapshot-skipped",
                                PERIODIC,
                                "guard: " + guard,
                                g,
                                active,
                                active));
                return null;
            }
            return snapshotLocked(g, live, PERIODIC, "periodic snapshot every " + periodS + " s");
        }
    }

    /**
     * Shadow-evaluates {@code sessionId} now and applies its policy.
     *
     * @return the scores
     */
    public ShadowScores evaluate(String sessionId) {
        Governed g = governed(sessionId);
        synchronized (g) {
            GovernancePolicy p = g.policy;
            NetworkParams live = null;
            String guard;
            try {
                live = g.control.exportLive();
                guard = WeightGuard.check(live, p.weightNormLimit());
            } catch (IllegalStateException e) {
                throw e; // the engine did not answer: not a verdict on the weights
            } catch (RuntimeException e) {
                // The engine refuses to export weights that are not valid parameters (NaN, Inf).
                guard = "non-finite or invalid live weights: " + e.getMessage();
            }
            SessionRoles roles = registry.roles(sessionId);
            if (guard != null) {
                ShadowScores s =
                        new ShadowScores(
                                Instant.now(clock),
                                0,
                                Double.NaN,
                                Double.NaN,
                                nz(roles.reference()),
                                Double.NaN,
                                Double.NaN,
                                guard);
                g.last.set(s);
                g.control.governanceMeters().liveShadowScore(Double.NaN);
                if (p.autoRollback()) {
                    rollBackLocked(g, "policy:" + p.describe(), "guard: " + guard);
                }
                return s;
            }
            LabelledSequence data = g.data.recent();
            HeldOutScore liveScore = HeldOutEvaluation.score(g.control.spec(), live, data);
            HeldOutScore refScore = null;
            if (roles.reference() != null) {
                Checkpoint ref = registry.load(roles.reference(), g.control.spec());
                refScore = HeldOutEvaluation.score(g.control.spec(), ref.params(), data);
            }
            ShadowScores s =
                    new ShadowScores(
                            Instant.now(clock),
                            data.frames(),
                            liveScore.mse(),
                            liveScore.r2(),
                            nz(roles.reference()),
                            refScore == null ? Double.NaN : refScore.mse(),
                            refScore == null ? Double.NaN : refScore.r2(),
                            "");
            g.last.set(s);
            g.control.governanceMeters().shadowScores(s.liveMse(), s.referenceMse());
            if (refScore == null) {
                return s;
            }
            boolean referenceIsActive = roles.reference().equals(roles.active());
            if (p.autoPromote()
                    && !referenceIsActive
                    && s.referenceMse() < s.liveMse() * (1 - p.promoteMargin())) {
                promoteLocked(
                        g,
                        "policy:" + p.describe(),
                        String.format(
                                Locale.ROOT,
                                "reference mse %.6g < live mse %.6g by more than %.0f %%",
                                s.referenceMse(),
                                s.liveMse(),
                                100 * p.promoteMargin()));
                g.consecutiveBad = 0;
            } else if (p.autoRollback()
                    && !(s.liveMse() <= s.referenceMse() * (1 + p.rollbackMargin()))) {
                g.consecutiveBad++;
                if (g.consecutiveBad >= p.sustainedEvaluations()) {
                    rollBackLocked(
                            g,
                            "policy:" + p.describe(),
                            String.format(
                                    Locale.ROOT,
                                    "live mse %.6g above reference mse %.6g by more than %.0f %% in"
                                            + " %d consecutive evaluations",
                                    s.liveMse(),
                                    s.referenceMse(),
                                    100 * p.rollbackMargin(),
                                    g.consecutiveBad));
                    g.consecutiveBad = 0;
                }
            } else {
                g.consecutiveBad = 0;
            }
            return s;
        }
    }

    /** An operator promotes the session's reference. */
    public void promote(String sessionId, String who, String reason) {
        Governed g = governed(sessionId);
        synchronized (g) {
            promoteLocked(g, who, reason);
        }
    }

    /** An operator rolls back to the last-good checkpoint. */
    public void rollBack(String sessionId, String who, String reason) {
        Governed g = governed(sessionId);
        synchronized (g) {
            rollBackLocked(g, who, reason);
        }
    }

    /**
     * Snapshots the live weights into the registry; they become ACTIVE. Non-finite live weights are
     * refused (FAILED_PRECONDITION) and the skip is audited.
     */
    public RegistryEntry snapshot(String sessionId, String who, String reason) {
        Governed g = governed(sessionId);
        synchronized (g) {
            g.activeSince = Instant.now(clock);
            return checkpoints.snapshot(g.control, who, reason);
        }
    }

    /** Changes the policy (audited with the old and new description). */
    public void setPolicy(String sessionId, GovernancePolicy policy, String who) {
        Governed g = governed(sessionId);
        synchronized (g) {
            String before = g.policy.describe();
            g.policy = policy;
            g.consecutiveBad = 0;
            audit.record(
                    event(
                            sessionId,
                            "policy",
                            who,
                            before + " -> " + policy.describe(),
                            g,
                            "",
                            ""));
        }
    }

    public GovernancePolicy policy(String sessionId) {
        return governed(sessionId).policy;
    }

    /** The latest shadow scores, or null before the first evaluation. */
    public ShadowScores scores(String sessionId) {
        return governed(sessionId).last.get();
    }

    public List<GovernanceEvent> audit(String sessionId) {
        return audit.events(sessionId);
    }

    public boolean governs(String sessionId) {
        return sessions.containsKey(sessionId);
    }

    private void promoteLocked(Governed g, String who, String reason) {
        checkpoints.promote(g.control, who, reason);
        g.activeSince = Instant.now(clock);
    }

    private void rollBackLocked(Governed g, String who, String reason) {
        checkpoints.rollBackToLastGood(g.control, who, reason);
        g.activeSince = Instant.now(clock);
    }

    private RegistryEntry snapshotLocked(
            Governed g, NetworkParams live, String who, String reason) {
        g.activeSince = Instant.now(clock);
        return checkpoints.snapshot(g.control, live, who, reason, PERIODIC.equals(who));
    }

    private GovernanceEvent event(
            String s,
            String action,
            String who,
            String reason,
            Governed g,
            String from,
            String to) {
        ShadowScores last = g.last.get();
        return new GovernanceEvent(
                Instant.now(clock),
                s,
                action,
                who,
                reason,
                last == null ? Double.NaN : last.liveMse(),
                last == null ? Double.NaN : last.referenceMse(),
                from,
                to);
    }

    private Governed governed(String sessionId) {
        Governed g = sessions.get(sessionId);
        if (g == null) {
            throw new IllegalArgumentException("session " + sessionId + " is not under governance");
        }
        return g;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
