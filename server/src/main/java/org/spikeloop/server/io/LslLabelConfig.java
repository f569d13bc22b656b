package org.spikeloop.server.io;

import java.util.List;
import java.util.Map;

/**
 * A session's LSL label source, resolved by name (and type) at creation. For markers the fields
 * after {@code sampleRateHz} are the trial protocol ({@link LslEndpoints#markerProtocol} checks
 * them and builds it).
 *
 * @param name stream name (required)
 * @param type stream type; blank = any
 * @param kind continuous targets or cue markers
 * @param sampleRateHz continuous: the stream's nominal rate must equal this (0 = any regular rate)
 * @param cueClasses markers: cue text → class index (0 .. outputs − 1)
 * @param trialS markers: window length, seconds from the window's start (&gt; 0)
 * @param endCues markers: cues that end the open trial window
 * @param classNames markers: class names by index; empty = each class named by its cues
 * @param startOffsetS markers: seconds from a cue to its window's start (&ge; 0)
 * @param ignoredMarkers markers: markers that are neither cues nor end cues
 */
public record LslLabelConfig(
        String name,
        String type,
        Kind kind,
        double sampleRateHz,
        Map<String, Integer> cueClasses,
        double trialS,
        List<String> endCues,
        List<String> classNames,
        double startOffsetS,
        List<String> ignoredMarkers) {

    /** What the label stream carries. */
    public enum Kind {
        /** Not given (refused at creation). */
        UNSPECIFIED,
        /** Numeric targets, one channel per decoder output. */
        CONTINUOUS,
        /** Cue markers (strings or numbers), one channel, irregular rate: trial windows. */
        MARKERS
    }

    public LslLabelConfig {
        cueClasses = cueClasses == null ? Map.of() : Map.copyOf(cueClasses);
        endCues = endCues == null ? List.of() : List.copyOf(endCues);
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        ignoredMarkers = ignoredMarkers == null ? List.of() : List.copyOf(ignoredMarkers);
    }

    /** Continuous labels, or markers without class names, start offset or ignored markers. */
    public LslLabelConfig(
            String name,
            String type,
            Kind kind,
            double sampleRateHz,
            Map<String, Integer> cueClasses,
            double trialS,
            List<String> endCues) {
        this(name, type, kind, sampleRateHz, cueClasses, trialS, endCues, null, 0, null);
    }
}
