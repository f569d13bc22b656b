package org.spikeloop.learn.trials;

/**
 * One trial: a cue of a class and the window in which its class is the label. A frame (a decoder
 * step) with time stamp s belongs to the window when {@code startS ≤ s < endS} — the same rule the
 * live engine applies to a label row stamped at the start and a clear row stamped at the end.
 *
 * @param index 0-based position among the trials of its recording, in time order
 * @param classIndex the class (index into {@link TrialProtocol#classNames})
 * @param cue the cue's marker text as it arrived
 * @param startS window start (the cue's time stamp + the protocol's start offset), seconds
 * @param endS window end (exclusive), seconds: start + trial length, or earlier when an end cue
 *     came first
 */
public record Trial(int index, int classIndex, String cue, double startS, double endS) {
    public Trial {
        if (index < 0 || classIndex < 0) {
            throw new IllegalArgumentException(
                    "trial index and class must be >= 0, got " + index + ", " + classIndex);
        }
        if (!Double.isFinite(startS) || !Double.isFinite(endS) || !(endS > startS)) {
            throw new IllegalArgumentException(
                    "trial " + index + ": window [" + startS + ", " + endS + ") is empty");
        }
    }

    /** Whether a frame stamped {@code timeS} belongs to the window. */
    public boolean contains(double timeS) {
        return timeS >= startS && timeS < endS;
    }

    /** Window length, seconds. */
    public double durationS() {
        return endS - startS;
    }
}
