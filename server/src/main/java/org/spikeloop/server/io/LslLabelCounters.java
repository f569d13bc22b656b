package org.spikeloop.server.io;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a session's {@link LslLabelSource} or {@link LslMarkerSource} did. Each count has one writer
 * (the label source agent) and is read by meters and {@code GetSession} from any thread.
 */
public final class LslLabelCounters {
    public final AtomicLong rejectedNonFinite = new AtomicLong();
    public final AtomicLong rejectedOutOfOrder = new AtomicLong();
    public final AtomicLong unknownCues = new AtomicLong();
    public final AtomicLong stalls = new AtomicLong();
    volatile boolean stalled;
    volatile String lastUnknownCue = "";

    /**
     * The label source as the API shows it.
     *
     * @param labelsIn targets handed to the engine (the session's {@code labelsIn} count)
     * @param droppedRingFull targets the full label ring dropped (its {@code labelsDropped})
     * @param inTrial markers: whether the engine has a trial window open
     */
    public LslLabelView view(long labelsIn, long droppedRingFull, boolean inTrial) {
        return new LslLabelView(
                stalled,
                labelsIn,
                droppedRingFull,
                rejectedNonFinite.get(),
                rejectedOutOfOrder.get(),
                unknownCues.get(),
                stalls.get(),
                lastUnknownCue,
                inTrial);
    }
}
