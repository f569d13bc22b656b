package org.spikeloop.server.session;

import org.HdrHistogram.Histogram;

/**
 * A copy of a session's counters and latency histograms (control plane).
 *
 * @param stepLatencyNs compute time per step, ns
 * @param endToEndLatencyNs source time stamp → frame published, ns
 * @param samplesSkipped samples skipped to reach the live edge (recorded, not decoded)
 * @param liveEdgeSkips times the engine skipped to the live edge
 * @param samplesSkippedAtStart samples that arrived while the session was being created (recorded,
 *     not decoded)
 */
public record SessionStatistics(
        long steps,
        long samplesIn,
        long samplesDropped,
        long samplesNonFinite,
        long deadlineMisses,
        long stalls,
        long learningUpdates,
        long guardEvents,
        long watcherFramesDropped,
        Histogram stepLatencyNs,
        Histogram endToEndLatencyNs,
        double spikeRateHz,
        double decodeError,
        double stepsPerSecond,
        long samplesTimestampsRepaired,
        long labelsTimestampsRepaired,
        long samplesSkipped,
        long liveEdgeSkips,
        long samplesSkippedAtStart) {}
