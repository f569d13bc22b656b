package org.spikeloop.server.io;

import java.util.List;
import java.util.Map;

/**
 * A session's LSL label source, resolved by name (and type) at creation.
 *
 * @param name stream name (required)
 * @param type stream type; blank = any
 * @param kind continuous targets or string markers
 * @param sampleRateHz continuous: the stream's nominal rate must equal this (0 = any regular rate)
 * @param cueClasses markers: cue text → class index (0 .. outputs − 1), one-hot target
 * @param trialS markers: a cue's target holds this long from the marker's stamp, or until the next
 *     marker if that comes sooner (&gt; 0)
 * @param endCues markers: cues that end the current trial window without opening another
 */
public record LslLabelConfig(
        String name,
        String type,
        Kind kind,
        double sampleRateHz,
        Map<String, Integer> cueClasses,
        double trialS,
        List<String> endCues) {

    /** What the label stream carries. */
    public enum Kind {
        /** Not given (refused at creation). */
        UNSPECIFIED,
        /** Numeric targets, one channel per decoder output. */
        CONTINUOUS,
        /** String cues, one channel, irregular rate, mapped to one-hot class targets. */
        MARKERS
    }

    public LslLabelConfig {
        cueClasses = cueClasses == null ? Map.of() : Map.copyOf(cueClasses);
        endCues = endCues == null ? List.of() : List.copyOf(endCues);
    }
}
