package org.spikeloop.server.engine;

import java.util.List;
import java.util.Locale;

/**
 * A reader-owned copy of one closed trial window and its decision, filled by {@link
 * DecisionCursor#poll}. Mutable and reused so that reading allocates nothing. Times: {@code
 * startS}/{@code endS} on the clock of the samples' time stamps (seconds), {@code decidedNs} on
 * this host's monotonic clock.
 *
 * <p>A window that held no decoder step ({@code frames == 0}, e.g. no sample arrived in it) has no
 * decision: {@code decision} is −1 and the probabilities are NaN. It is still a trial window (the
 * recording writes its start and end).
 */
public final class Decision {
    /** The decision of a window that held no decoder step. */
    public static final int NONE = -1;

    /**
     * Class probabilities (softmax of the window-averaged readout, or of the window's output spike
     * counts for a spike-count readout), by class index.
     */
    public final float[] probabilities;

    /** The window's position in the decision ring (0, 1, ...). */
    public long sequence;

    /** The trial's index among the session's cues (as the label source's segmenter counts). */
    public int trial;

    /** The cue marker that opened the window, as it arrived. */
    public String cue;

    /** The cue's class index. */
    public int cueClass;

    /** Window start and end (exclusive), seconds. */
    public double startS;

    public double endS;

    /** Decoder steps in the window. */
    public int frames;

    /** The decided class (arg-max of the probabilities), or {@link #NONE}. */
    public int decision;

    /** When the engine closed the window (ns, monotonic). */
    public long decidedNs;

    /** Whether learning was on and learned from the window's label. */
    public boolean learned;

    public Decision(int classes) {
        this.probabilities = new float[classes];
    }

    /** Whether the window held a decoder step, so that it has a decision. */
    public boolean decided() {
        return frames > 0;
    }

    /**
     * The decision as one line of JSON (the text of the LSL decision marker and of the recording's
     * decisions stream), e.g. {@code {"trial":3,"decision":"left","probabilities":{"left":0.8123,
     * "right":0.1877},"cue":"769","cue_class":"left","start":12.5,"end":16.0,"frames":175,
     * "learned":false}}. Allocates (publisher side).
     *
     * @param classNames class names by index
     */
    public String toJson(List<String> classNames) {
        StringBuilder b = new StringBuilder(160 + 24 * probabilities.length);
        b.append("{\"trial\":").append(trial).append(",\"decision\":");
        if (decision == NONE) {
            b.append("null");
        } else {
            quoted(b, classNames.get(decision));
        }
        b.append(",\"probabilities\":{");
        for (int k = 0; k < probabilities.length; k++) {
            if (k > 0) {
                b.append(',');
            }
            quoted(b, classNames.get(k));
            b.append(':');
            float p = probabilities[k];
            b.append(Float.isFinite(p) ? String.format(Locale.ROOT, "%.4f", p) : "null");
        }
        b.append("},\"cue\":");
        quoted(b, cue == null ? "" : cue);
        b.append(",\"cue_class\":");
        quoted(b, classNames.get(cueClass));
        b.append(",\"start\":")
                .append(String.format(Locale.ROOT, "%.6f", startS))
                .append(",\"end\":")
                .append(String.format(Locale.ROOT, "%.6f", endS))
                .append(",\"frames\":")
                .append(frames)
                .append(",\"learned\":")
                .append(learned)
                .append('}');
        return b.toString();
    }

    /** Appends {@code s} as a JSON string (quotes, backslashes and control characters escaped). */
    private static void quoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
