package org.spikeloop.learn.trials;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns marker events (time stamps and marker texts, in time order) into trial windows under a
 * {@link TrialProtocol}. At most one window is open at a time.
 *
 * <p><b>Streaming</b> ({@link #accept}, {@link #closeDue}, {@link #finish}): one marker at a time,
 * as a live label source receives them; every call says what the marker did ({@link Outcome}) and
 * {@link #lastClosed} gives the trial whose window the call made final, if any. A live source
 * carries on after every outcome; the rules for the awkward ones:
 *
 * <ul>
 *   <li>a cue whose window starts before the open window ends ({@link Outcome#OVERLAP}): the open
 *       window is cut at the new window's start (dropped when that leaves it empty) and the new one
 *       opens;
 *   <li>an end cue at or before the pending window's start ({@link Outcome#VOIDED}): the pending
 *       trial is dropped;
 *   <li>a cue while a window is open whose end comes before the new window's start (possible with a
 *       start offset): the open window is final at its own end, the new one opens;
 *   <li>unknown markers, markers out of time order: nothing changes.
 * </ul>
 *
 * <p><b>Offline</b> ({@link #segment}): the whole stream at once; every overlap, voided trial,
 * unknown marker (listed with counts), out-of-order stamp and class without trials is refused in
 * one {@link InvalidTrialsException} that lists them.
 *
 * <p>Trial indices count the cues that opened a window, from 0; a dropped window leaves its index
 * unused (offline such a stream is refused anyway).
 *
 * <p>Threading: one owner. Allocation: a {@link Trial} per cue (markers come a few per second).
 */
public final class TrialSegmenter {
    /** What one marker did. */
    public enum Outcome {
        /** A cue opened a window (at its stamp + the start offset). */
        OPENED,
        /** A cue opened a window that overlaps the open one, which was cut (or dropped). */
        OVERLAP,
        /** An end cue ended the open window. */
        ENDED,
        /** An end cue at or before the pending window's start: that trial was dropped. */
        VOIDED,
        /** An end cue while no window was open (harmless). */
        NOTHING_OPEN,
        /** An ignored marker. */
        IGNORED,
        /** A marker in none of the protocol's tables. */
        UNKNOWN,
        /** A non-finite stamp, or one older than the previous marker's: not used. */
        OUT_OF_ORDER
    }

    private final TrialProtocol protocol;
    private Trial open; // open or pending (its start may lie ahead), with its full end
    private Trial closed; // made final by the last call
    private int nextIndex;
    private double lastStampS = Double.NEGATIVE_INFINITY;

    public TrialSegmenter(TrialProtocol protocol) {
        this.protocol = java.util.Objects.requireNonNull(protocol, "protocol");
    }

    /** The protocol. */
    public TrialProtocol protocol() {
        return protocol;
    }

    /**
     * Feeds one marker. A window that ran out at or before {@code stampS} is closed first (at its
     * own end).
     *
     * @param stampS the marker's time stamp, seconds
     * @param marker its text (a numeric marker as {@link MarkerText#of})
     */
    public Outcome accept(double stampS, String marker) {
        closed = null;
        if (!Double.isFinite(stampS) || stampS < lastStampS) {
            return Outcome.OUT_OF_ORDER;
        }
        lastStampS = stampS;
        if (open != null && open.endS() <= stampS) {
            closed = open;
            open = null;
        }
        switch (protocol.kindOf(marker)) {
            case CUE:
                return openTrial(stampS, marker);
            case END:
                if (open == null) {
                    return Outcome.NOTHING_OPEN;
                }
                Trial t = open;
                open = null;
                if (stampS <= t.startS()) {
                    return Outcome.VOIDED;
                }
                closed = new Trial(t.index(), t.classIndex(), t.cue(), t.startS(), stampS);
                return Outcome.ENDED;
            case IGNORED:
                return Outcome.IGNORED;
            default:
                return Outcome.UNKNOWN;
        }
    }

    private Outcome openTrial(double stampS, String marker) {
        double start = stampS + protocol.startOffsetS();
        Outcome outcome = Outcome.OPENED;
        if (open != null) {
            Trial t = open;
            if (start < t.endS()) {
                outcome = Outcome.OVERLAP;
                closed =
                        start > t.startS()
                                ? new Trial(t.index(), t.classIndex(), t.cue(), t.startS(), start)
                                : null;
            } else {
                closed = t; // ends before the new window opens
            }
        }
        open =
                new Trial(
                        nextIndex++,
                        protocol.classOf(marker),
                        marker,
                        start,
                        start + protocol.trialS());
        return outcome;
    }

    /**
     * Closes the open window if it has ended by {@code nowS} (its end ≤ nowS).
     *
     * @return the closed trial, or null
     */
    public Trial closeDue(double nowS) {
        if (open != null && open.endS() <= nowS) {
            closed = open;
            open = null;
            return closed;
        }
        return null;
    }

    /**
     * Ends the stream: the open window, if any, is final at its own end.
     *
     * @return that trial, or null
     */
    public Trial finish() {
        closed = open;
        open = null;
        return closed;
    }

    /** The trial whose window the last call made final, or null. */
    public Trial lastClosed() {
        return closed;
    }

    /** The open (or pending) trial with its full window, or null. */
    public Trial current() {
        return open;
    }

    /**
     * Segments a whole marker stream.
     *
     * @param stampsS time stamps, seconds (not modified)
     * @param markers marker texts, numeric markers as {@link MarkerText#of} (not modified)
     * @return the trials in time order; every class has at least one
     * @throws InvalidTrialsException listing every problem: unknown markers with their counts,
     *     overlapping windows, end cues before their window opens, stamps out of time order,
     *     classes without trials, no trials at all
     */
    public static List<Trial> segment(TrialProtocol protocol, double[] stampsS, String[] markers) {
        return segment(protocol, stampsS, markers, true);
    }

    /**
     * As {@link #segment(TrialProtocol, double[], String[])}, optionally without requiring every
     * class to have a trial (a recording that is one part of a job's data).
     *
     * @param everyClass whether a class without trials is refused
     */
    public static List<Trial> segment(
            TrialProtocol protocol, double[] stampsS, String[] markers, boolean everyClass) {
        if (stampsS.length != markers.length) {
            throw new IllegalArgumentException(
                    stampsS.length + " time stamps but " + markers.length + " markers");
        }
        TrialSegmenter s = new TrialSegmenter(protocol);
        List<Trial> trials = new ArrayList<>();
        Map<String, Integer> unknown = new LinkedHashMap<>();
        List<String> overlaps = new ArrayList<>();
        List<String> voided = new ArrayList<>();
        List<String> disorder = new ArrayList<>();
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < markers.length; i++) {
            Trial before = s.current();
            Outcome o = s.accept(stampsS[i], markers[i]);
            if (s.lastClosed() != null) {
                trials.add(s.lastClosed());
            }
            switch (o) {
                case UNKNOWN -> unknown.merge(markers[i], 1, Integer::sum);
                case OVERLAP ->
                        overlaps.add(
                                String.format(
                                        Locale.ROOT,
                                        "trial %d ('%s' at %.3f s) opens at %.3f s, before trial"
                                                + " %d ends at %.3f s",
                                        s.current().index(),
                                        markers[i],
                                        stampsS[i],
                                        s.current().startS(),
                                        before.index(),
                                        before.endS()));
                case VOIDED ->
                        voided.add(
                                String.format(
                                        Locale.ROOT,
                                        "end cue '%s' at %.3f s comes before trial %d's window"
                                                + " opens at %.3f s",
                                        markers[i],
                                        stampsS[i],
                                        before.index(),
                                        before.startS()));
                case OUT_OF_ORDER ->
                        disorder.add(
                                String.format(
                                        Locale.ROOT,
                                        "marker %d ('%s') at %s s is out of time order (after"
                                                + " %.3f s)",
                                        i,
                                        markers[i],
                                        stampsS[i],
                                        previous));
                default -> {}
            }
            if (o != Outcome.OUT_OF_ORDER) {
                previous = stampsS[i];
            }
        }
        if (s.finish() != null) {
            trials.add(s.lastClosed());
        }
        List<String> problems = new ArrayList<>();
        if (!unknown.isEmpty()) {
            StringBuilder b =
                    new StringBuilder(
                            "unknown markers (in none of cue_classes, end_cues, ignored_markers): ");
            int n = 0;
            for (Map.Entry<String, Integer> e : unknown.entrySet()) {
                if (n++ == MAX_LISTED) {
                    b.append(", and ").append(unknown.size() - MAX_LISTED).append(" more");
                    break;
                }
                b.append(n == 1 ? "" : ", ")
                        .append('\'')
                        .append(e.getKey())
                        .append("' ×")
                        .append(e.getValue());
            }
            problems.add(b.toString());
        }
        listed(problems, "overlapping trial windows", overlaps);
        listed(problems, "trials ended before they start", voided);
        listed(problems, "markers out of time order", disorder);
        if (trials.isEmpty()) {
            problems.add("no trials: no marker is a cue of cue_classes " + protocol.cueClasses());
        } else if (everyClass) {
            int[] count = new int[protocol.classCount()];
            for (Trial t : trials) {
                count[t.classIndex()]++;
            }
            for (int k = 0; k < count.length; k++) {
                if (count[k] == 0) {
                    problems.add(
                            "class "
                                    + k
                                    + " ('"
                                    + protocol.className(k)
                                    + "') has no trials (its cues: "
                                    + protocol.cuesOf(k)
                                    + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTrialsException(problems);
        }
        return List.copyOf(trials);
    }

    /** Distinct problems of one kind listed in an error before "and N more". */
    static final int MAX_LISTED = 10;

    private static void listed(List<String> problems, String what, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(what).append(": ");
        for (int i = 0; i < items.size() && i < 3; i++) {
            b.append(i == 0 ? "" : "; ").append(items.get(i));
        }
        if (items.size() > 3) {
            b.append("; and ").append(items.size() - 3).append(" more");
        }
        problems.add(b.toString());
    }
}
