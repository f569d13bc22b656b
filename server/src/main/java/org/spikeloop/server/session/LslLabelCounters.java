package org.spikeloop.server.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a session's {@link LslLabelSource} did. Each count has one writer (the label source agent)
 * and is read by meters and {@code GetSession} from any thread.
 */
final class LslLabelCounters {
    final AtomicLong rejectedNonFinite = new AtomicLong();
    final AtomicLong rejectedOutOfOrder = new AtomicLong();
    final AtomicLong unknownCues = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    volatile boolean stalled;
    volatile boolean inTrial;
    volatile String lastUnknownCue = "";
}
