package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashMap;
import java.util.Map;

/**
 * A session's checkpoint-governance meters, bound when the session is created (so the alerts and
 * the dashboard have a series before the session is ever governed) and updated by governance:
 * {@code spikeloop_checkpoint_promotions_total} and {@code spikeloop_checkpoint_rollbacks_total} (0
 * until the first action), {@code spikeloop_shadow_squared_error{decoder="live"|"reference"}} (NaN
 * until the first shadow evaluation), and {@code spikeloop_governance_actions_total{action}},
 * registered at the session's first action of each kind (the actions are governance's vocabulary).
 * After the session stopped ({@link SessionMeters#close}) actions are no longer counted, so none of
 * its series comes back.
 *
 * <p>Threading: any thread (governance's control-plane threads); the gauges read volatiles.
 */
public final class GovernanceMetrics implements MeterBinder, SessionMeters.RegistersLater {
    public static final String PROMOTIONS = "spikeloop.checkpoint.promotions";
    public static final String ROLLBACKS = "spikeloop.checkpoint.rollbacks";
    public static final String SHADOW_GAUGE = "spikeloop.shadow.squared.error";
    public static final String ACTIONS = "spikeloop.governance.actions";

    private final String sessionId;
    private final Map<String, Counter> actions = new HashMap<>();
    private MeterRegistry registry;
    private Counter promotions;
    private Counter rollbacks;
    private boolean stopped;
    private volatile double liveMse = Double.NaN;
    private volatile double referenceMse = Double.NaN;

    public GovernanceMetrics(String sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    public synchronized void bindTo(MeterRegistry r) {
        registry = r;
        promotions =
                Counter.builder(PROMOTIONS)
                        .description(
                                "Checkpoint promotions (reference loaded into the live decoder)")
                        .tags(SessionMeters.tags(sessionId))
                        .register(r);
        rollbacks =
                Counter.builder(ROLLBACKS)
                        .description("Rollbacks to the last-good checkpoint")
                        .tags(SessionMeters.tags(sessionId))
                        .register(r);
        String help = "Shadow evaluation: mean squared decode error on recent labelled data";
        Gauge.builder(SHADOW_GAUGE, this, m -> m.liveMse)
                .description(help)
                .tags(SessionMeters.tags(sessionId).and("decoder", "live"))
                .strongReference(true) // held weakly otherwise (NaN once collected)
                .register(r);
        Gauge.builder(SHADOW_GAUGE, this, m -> m.referenceMse)
                .description(help)
                .tags(SessionMeters.tags(sessionId).and("decoder", "reference"))
                .strongReference(true)
                .register(r);
    }

    /**
     * Counts one governance action ({@code promote}, {@code rollback}, {@code snapshot}, ...) in
     * {@code spikeloop_governance_actions_total{action}}, and promotions and rollbacks in their own
     * counters. Does nothing once the session stopped.
     *
     * @throws IllegalStateException before {@link #bindTo}
     */
    public synchronized void action(String action) {
        if (registry == null) {
            throw new IllegalStateException("session " + sessionId + ": metrics not bound");
        }
        if (stopped) {
            return;
        }
        actions.computeIfAbsent(
                        action,
                        a ->
                                Counter.builder(ACTIONS)
                                        .description(
                                                "Governance actions (promote, rollback, load,"
                                                        + " snapshot, snapshot-skipped, policy)")
                                        .tags(SessionMeters.tags(sessionId).and("action", a))
                                        .register(registry))
                .increment();
        if (action.equals("promote")) {
            promotions.increment();
        } else if (action.equals("rollback")) {
            rollbacks.increment();
        }
    }

    /** The latest shadow scores (mean squared error; NaN = not available). */
    public void shadowScores(double live, double reference) {
        liveMse = live;
        referenceMse = reference;
    }

    /** Only the live score (e.g. NaN when the live weights failed a guard). */
    public void liveShadowScore(double live) {
        liveMse = live;
    }

    @Override
    public synchronized void stopRegistering() {
        stopped = true;
    }
}
