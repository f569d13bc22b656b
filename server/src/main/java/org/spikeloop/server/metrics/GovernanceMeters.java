package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * A session's checkpoint-governance meters, registered once when the session is created (so the
 * alerts and dashboard have a series before the session is ever governed) and updated later by
 * governance: {@code spikeloop_checkpoint_promotions_total{session}}, {@code
 * spikeloop_checkpoint_rollbacks_total{session}} (0 until the first action) and {@code
 * spikeloop_shadow_squared_error{session, decoder="live"|"reference"}} (NaN until the first shadow
 * evaluation).
 *
 * <p>Threading: {@link #promoted}, {@link #rolledBack} and {@link #shadowScores} from any thread
 * (the gauges read volatiles).
 */
public final class GovernanceMeters {
    public static final String PROMOTIONS = "spikeloop_checkpoint_promotions";
    public static final String ROLLBACKS = "spikeloop_checkpoint_rollbacks";
    public static final String SHADOW_GAUGE = "spikeloop_shadow_squared_error";

    private final Counter promotions;
    private final Counter rollbacks;
    private final List<Meter> meters;
    private volatile double liveMse = Double.NaN;
    private volatile double referenceMse = Double.NaN;

    public GovernanceMeters(MeterRegistry registry, String sessionId) {
        promotions =
                Counter.builder(PROMOTIONS)
                        .description(
                                "Checkpoint promotions (reference loaded into the live decoder)")
                        .tag("session", sessionId)
                        .register(registry);
        rollbacks =
                Counter.builder(ROLLBACKS)
                        .description("Rollbacks to the last-good checkpoint")
                        .tag("session", sessionId)
                        .register(registry);
        String help = "Shadow evaluation: mean squared decode error on recent labelled data";
        Gauge live =
                Gauge.builder(SHADOW_GAUGE, this, m -> m.liveMse)
                        .description(help)
                        .tags("session", sessionId, "decoder", "live")
                        .strongReference(true) // held weakly otherwise (NaN once collected)
                        .register(registry);
        Gauge reference =
                Gauge.builder(SHADOW_GAUGE, this, m -> m.referenceMse)
                        .description(help)
                        .tags("session", sessionId, "decoder", "reference")
                        .strongReference(true) // held weakly otherwise (NaN once collected)
                        .register(registry);
        meters = List.of(promotions, rollbacks, live, reference);
    }

    public void promoted() {
        promotions.increment();
    }

    public void rolledBack() {
        rollbacks.increment();
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

    /** The meters, for removal when the session stops. */
    List<Meter> meters() {
        return meters;
    }
}
