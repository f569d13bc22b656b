package org.spikeloop.server.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Monotonic event counts of one session. Engine-side counts have one writer (the engine) and use
 * {@code lazySet(get() + 1)}, a plain store with release ordering: no lock, no CAS, no allocation.
 * Ingest-side counts have one writer too (the session's single active ingest stream). Micrometer
 * reads them through {@code FunctionCounter}s registered once at session creation.
 */
public final class EngineCounters {
    // Engine thread.
    public final AtomicLong steps = new AtomicLong();
    public final AtomicLong deadlineMisses = new AtomicLong();
    public final AtomicLong stalls = new AtomicLong();
    public final AtomicLong spikes = new AtomicLong();
    public final AtomicLong learningUpdates = new AtomicLong();
    public final AtomicLong guardEvents = new AtomicLong();
    public final AtomicLong stepErrors = new AtomicLong();
    public final AtomicLong samplesDiscardedAfterError = new AtomicLong();
    public final AtomicLong labelsApplied = new AtomicLong();

    /** Sum of the recorded step latencies: the engine thread's busy time in this session. */
    public final AtomicLong stepNanos = new AtomicLong();

    public final AtomicLong samplesSkipped = new AtomicLong(); // to reach the live edge
    public final AtomicLong liveEdgeSkips = new AtomicLong(); // times the engine skipped
    public final AtomicLong samplesSkippedAtStart = new AtomicLong(); // arrived before the start
    // Ingest stream thread (one active stream per session).
    public final AtomicLong samplesIn = new AtomicLong();
    public final AtomicLong samplesDropped = new AtomicLong();
    public final AtomicLong samplesNonFinite = new AtomicLong();
    public final AtomicLong samplesTimestampsRepaired = new AtomicLong();
    public final AtomicLong labelsTimestampsRepaired = new AtomicLong();
    public final AtomicLong labelsIn = new AtomicLong();
    public final AtomicLong labelsDropped = new AtomicLong();
    // Publisher thread (the session's one publisher agent).
    public final AtomicLong watcherFramesDropped = new AtomicLong();
    public final AtomicLong framesSent = new AtomicLong();

    /** Single-writer increment: no CAS. */
    public static void increment(AtomicLong counter) {
        counter.lazySet(counter.get() + 1);
    }

    /** Single-writer add: no CAS. */
    public static void add(AtomicLong counter, long delta) {
        counter.lazySet(counter.get() + delta);
    }
}
