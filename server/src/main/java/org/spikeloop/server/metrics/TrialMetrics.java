package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.spikeloop.server.engine.TrialWindows;

/**
 * A marker-labelled session's trial meters: the trial windows the engine closed and the ones it
 * decided ({@code FunctionCounter}s over the engine's single-writer counts). Bound when such a
 * session is created; sessions without marker labels have no trial windows and none of these
 * meters.
 *
 * <p>Threading: bound on the control plane; the counters are read at scrape time.
 */
public final class TrialMetrics implements MeterBinder {
    private final String sessionId;
    private final TrialWindows windows;

    public TrialMetrics(String sessionId, TrialWindows windows) {
        this.sessionId = sessionId;
        this.windows = windows;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        SessionMeters.counter(
                r,
                sessionId,
                "spikeloop.trial.windows",
                "Trial windows the session closed (marker labels)",
                windows.windowsCounter());
        SessionMeters.counter(
                r,
                sessionId,
                "spikeloop.trial.decisions",
                "Trial windows the session decided (marker labels)",
                windows.decisionsCounter());
    }
}
