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

    /**
     * Longest park of the delivery thread between wake-ups: it is woken when there is work (an
     * engine published, a watcher became ready), so this only bounds how late it notices a change
     * nobody announced (a cancelled watcher).
     */
    public static final long DELIVERY_MAX_PARK_NS = 1_000_000;

    /** Longest park of the paced strategy: how late it may notice an unannounced arrival. */
    public static final long PACED_MAX_PARK_NS = 2_000_000;

    /**
     * How long before its work is next due a paced thread polls again: a sample that comes on time
     * after one that came up to this late is still found at once (this VM's wake-ups are late by
     * 150–225 µs at p99, docs/benchmarks.md).
     */
    public static final long PACED_MARGIN_NS = 400_000;

    private IdleStrategies() {}

    /** Parks up to {@link #DELIVERY_MAX_PARK_NS} when idle; an unpark ends the park at once. */
    public static IdleStrategy parkUntilWoken() {
        return new SleepingIdleStrategy(DELIVERY_MAX_PARK_NS);
    }

    public static IdleStrategy create(String name) {
        return switch (name) {
            case "backoff" -> new BackoffIdleStrategy(100, 10, 1_000, MAX_PARK_NS);
            case "yield" -> new YieldingIdleStrategy();
            case "busy" -> new BusySpinIdleStrategy();
            case "sleep" -> new SleepingIdleStrategy(MAX_PARK_NS);
            case "paced" -> new PacedIdleStrategy(MAX_PARK_NS, PACED_MAX_PARK_NS, PACED_MARGIN_NS);
            default ->
                    throw new IllegalArgumentException(
                            "engine.idleStrategy: unknown '" + name + "'");
        };
    }
}
