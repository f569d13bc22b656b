package org.spikeloop.server.session;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The engine.idleStrategy names and what they build (a new instance per agent: they hold state).
 */
public final class IdleStrategies {
    /** Longest park of the backoff strategy: bounds the wake-up delay an idle engine adds. */
    public static final long MAX_PARK_NS = 50_000;

    private IdleStrategies() {}

    public static IdleStrategy create(String name) {
        return switch (name) {
            case "backoff" -> new BackoffIdleStrategy(100, 10, 1_000, MAX_PARK_NS);
            case "yield" -> new YieldingIdleStrategy();
            case "busy" -> new BusySpinIdleStrategy();
            case "sleep" -> new SleepingIdleStrategy(MAX_PARK_NS);
            default ->
                    throw new IllegalArgumentException(
                            "engine.idleStrategy: unknown '" + name + "'");
        };
    }
}
