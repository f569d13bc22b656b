package org.spikeloop.server.session;

import org.HdrHistogram.Histogram;

/**
 * A copy of a session's counters and latency histograms (control plane).
 *
 * @param stepLatencyNs compute time per step, ns
 * @param endToEndLatencyNs source time stamp → frame published, ns
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
        long labelsTimestampsRepaired) {}
