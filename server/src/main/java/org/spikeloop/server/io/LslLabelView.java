package org.spikeloop.server.io;

/**
 * A session's LSL label source as the API shows it.
 *
 * @param stalled no label data (continuous) or the stream is gone (markers); learning pauses
 * @param labelsIn targets handed to the engine (markers: trial windows opened)
 * @param droppedRingFull targets dropped because the label ring was full
 * @param rejectedNonFinite labels with a NaN or infinite value
 * @param rejectedOutOfOrder labels with a non-finite stamp or one older than the last accepted
 * @param unknownCues markers in none of the protocol's tables (cues, end cues, ignored markers)
 * @param stalls times the stream stalled or vanished
 * @param lastUnknownCue the last unknown cue ("" if none)
 * @param inTrial markers: a trial window is open
 */
public record LslLabelView(
        boolean stalled,
        long labelsIn,
        long droppedRingFull,
        long rejectedNonFinite,
        long rejectedOutOfOrder,
        long unknownCues,
        long stalls,
        String lastUnknownCue,
        boolean inTrial) {}
