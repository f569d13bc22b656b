package org.spikeloop.learn.trials;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a marker stream marks trials and classes (a cue-based paradigm such as the Graz motor-imagery
 * protocol): which markers are cues of which class, how long a trial window lasts and when it
 * opens, which markers end a window early and which are neither.
 *
 * <ul>
 *   <li><b>Cue → class</b> ({@code cue_classes}): marker text → class index in [0, classes).
 *       Several cues may name one class ({@code "769" → 0} and {@code "left_hand" → 0}). Markers
 *       are matched by {@link MarkerText#key}: numeric codes by value ({@code "769"} matches a
 *       numeric marker 769.0 and a string {@code "769.0"}), other text exactly.
 *   <li><b>Class names</b> ({@code class_names}): index → name, unique and non-blank; every class
 *       has at least one cue.
 *   <li><b>Window</b>: a cue at time t opens the window [t + {@code start_offset_s}, t + {@code
 *       start_offset_s} + {@code trial_s}); {@code trial_s} &gt; 0 and {@code start_offset_s} &ge;
 *       0, both at most {@value #MAX_SECONDS} s. A frame with time stamp s belongs to the window
 *       when start ≤ s &lt; end.
 *   <li><b>End cues</b> ({@code end_cues}): a marker that ends the open window at its own time
 *       stamp (e.g. {@code "rest"}, or GDF 800 "end of trial"). After the window has ended it is
 *       harmless.
 *   <li><b>Ignored markers</b> ({@code ignored_markers}): markers that are neither cues nor end
 *       cues and change nothing (recordings carry many: GDF 768 "trial start", 32766 "new run", 785
 *       "beep", 1023 "rejected trial"). Every other marker is <em>unknown</em>: an offline job
 *       refuses a recording that holds any, listing them with their counts ({@link
 *       TrialSegmenter#segment}), so a typo in the cue table never silently drops trials.
 * </ul>
 *
 * <p>Validated on construction; each error names the field ({@link InvalidTrialProtocolException}).
 * Immutable and thread-safe.
 */
public final class TrialProtocol {
    /** Upper bound of {@code trial_s} and of {@code start_offset_s}, seconds. */
    public static final double MAX_SECONDS = 600.0;

    /** Most classes a protocol may have. */
    public static final int MAX_CLASSES = 64;

    /** Most entries of each marker table (cues, end cues, ignored markers). */
    public static final int MAX_MARKERS = 1024;

    /** Longest marker text, characters. */
    public static final int MAX_MARKER_CHARS = 256;

    /** What a marker is under this protocol. */
    public enum MarkerKind {
        /** Opens a trial window of its class. */
        CUE,
        /** Ends the open trial window. */
        END,
        /** Neither; changes nothing. */
        IGNORED,
        /** Not in any table. */
        UNKNOWN
    }

    private final Map<String, Integer> cueClasses; // MarkerText.key → class
    private final List<String> classNames;
    private final double trialS;
    private final double startOffsetS;
    private final Set<String> endCues; // keys
    private final Set<String> ignoredMarkers; // keys

    /**
     * @param cueClasses marker text → class index (not modified)
     * @param classNames index → class name
     * @param trialS window length in seconds
     * @param startOffsetS seconds from the cue to the window's start
     * @param endCues markers that end the open window (may be empty)
     * @param ignoredMarkers markers that are neither cues nor end cues (may be empty)
     * @throws InvalidTrialProtocolException naming the field
     */
    public TrialProtocol(
            Map<String, Integer> cueClasses,
            List<String> classNames,
            double trialS,
            double startOffsetS,
            Collection<String> endCues,
            Collection<String> ignoredMarkers) {
        this.classNames = checkClassNames(classNames);
        this.cueClasses = checkCues(cueClasses, this.classNames);
        if (!(trialS > 0) || trialS > MAX_SECONDS) {
            throw new InvalidTrialProtocolException(
                    "trial_s", "must be in (0, " + MAX_SECONDS + "] s, got " + trialS);
        }
        if (!(startOffsetS >= 0) || startOffsetS > MAX_SECONDS) {
            throw new InvalidTrialProtocolException(
                    "start_offset_s", "must be in [0, " + MAX_SECONDS + "] s, got " + startOffsetS);
        }
        this.trialS = trialS;
        this.startOffsetS = startOffsetS;
        this.endCues = checkMarkers("end_cues", endCues, this.cueClasses.keySet(), Set.of());
        this.ignoredMarkers =
                checkMarkers(
                        "ignored_markers", ignoredMarkers, this.cueClasses.keySet(), this.endCues);
    }

    private static List<String> checkClassNames(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new InvalidTrialProtocolException(
                    "class_names", "give at least one class name (index → name)");
        }
        if (names.size() > MAX_CLASSES) {
            throw new InvalidTrialProtocolException(
                    "class_names", names.size() + " classes; at most " + MAX_CLASSES);
        }
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < names.size(); k++) {
            String n = names.get(k);
            if (n == null || n.isBlank()) {
                throw new InvalidTrialProtocolException(
                        "class_names", "class " + k + " has a blank name");
            }
            if (n.length() > MAX_MARKER_CHARS) {
                throw new InvalidTrialProtocolException(
                        "class_names",
                        "class "
                                + k
                                + "'s name is longer than "
                                + MAX_MARKER_CHARS
                                + " characters");
            }
            if (!seen.add(n)) {
                throw new InvalidTrialProtocolException(
                        "class_names", "'" + n + "' names two classes");
            }
        }
        return List.copyOf(names);
    }

    private static Map<String, Integer> checkCues(
            Map<String, Integer> cues, List<String> classNames) {
        if (cues == null || cues.isEmpty()) {
            throw new InvalidTrialProtocolException(
                    "cue_classes", "give at least one cue (marker text → class index)");
        }
        if (cues.size() > MAX_MARKERS) {
            throw new InvalidTrialProtocolException(
                    "cue_classes", cues.size() + " cues; at most " + MAX_MARKERS);
        }
        Map<String, Integer> byKey = new LinkedHashMap<>();
        Map<String, String> given = new HashMap<>();
        boolean[] named = new boolean[classNames.size()];
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (Map.Entry<String, Integer> e : cues.entrySet()) {
            requireText("cue_classes", e.getKey());
            entries.add(e);
        }
        entries.sort(Map.Entry.comparingByKey()); // errors and order do not depend on the map type
        for (Map.Entry<String, Integer> e : entries) {
            String cue = e.getKey();
            Integer k = e.getValue();
            if (k == null || k < 0 || k >= classNames.size()) {
                throw new InvalidTrialProtocolException(
                        "cue_classes",
                        "'"
                                + cue
                                + "' → class index "
                                + k
                                + " but only "
                                + classNames.size()
                                + " class names "
                                + classNames);
            }
            String key = MarkerText.key(cue);
            String other = given.put(key, cue);
            if (other != null) {
                throw new InvalidTrialProtocolException(
                        "cue_classes",
                        "'" + other + "' and '" + cue + "' are the same marker (" + key + ")");
            }
            byKey.put(key, k);
            named[k] = true;
        }
        for (int k = 0; k < named.length; k++) {
            if (!named[k]) {
                throw new InvalidTrialProtocolException(
                        "cue_classes", "class " + k + " ('" + classNames.get(k) + "') has no cue");
            }
        }
        return Collections.unmodifiableMap(byKey);
    }

    private static Set<String> checkMarkers(
            String field, Collection<String> markers, Set<String> cues, Set<String> endCues) {
        if (markers == null) {
            return Set.of();
        }
        if (markers.size() > MAX_MARKERS) {
            throw new InvalidTrialProtocolException(
                    field, markers.size() + " markers; at most " + MAX_MARKERS);
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String m : markers) {
            requireText(field, m);
            String key = MarkerText.key(m);
            if (cues.contains(key)) {
                throw new InvalidTrialProtocolException(
                        field, "'" + m + "' is also a cue in cue_classes");
            }
            if (endCues.contains(key)) {
                throw new InvalidTrialProtocolException(
                        field, "'" + m + "' is also an end cue in end_cues");
            }
            if (!keys.add(key)) {
                throw new InvalidTrialProtocolException(field, "'" + m + "' is listed twice");
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    private static void requireText(String field, String marker) {
        if (marker == null || marker.isEmpty()) {
            throw new InvalidTrialProtocolException(field, "a marker text is empty");
        }
        if (marker.length() > MAX_MARKER_CHARS) {
            throw new InvalidTrialProtocolException(
                    field,
                    "marker '"
                            + marker.substring(0, 20)
                            + "…' is longer than "
                            + MAX_MARKER_CHARS
                            + " characters");
        }
    }

    /** What {@code marker} (a string marker, or a numeric one as {@link MarkerText#of}) is. */
    public MarkerKind kindOf(String marker) {
        String key = MarkerText.key(marker);
        if (cueClasses.containsKey(key)) {
            return MarkerKind.CUE;
        }
        if (endCues.contains(key)) {
            return MarkerKind.END;
        }
        return ignoredMarkers.contains(key) ? MarkerKind.IGNORED : MarkerKind.UNKNOWN;
    }

    /** The class a cue opens, or −1 when {@code marker} is not a cue. */
    public int classOf(String marker) {
        Integer k = cueClasses.get(MarkerText.key(marker));
        return k == null ? -1 : k;
    }

    /** Number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** Class names by index (unmodifiable). */
    public List<String> classNames() {
        return classNames;
    }

    /** The name of class {@code k}. */
    public String className(int k) {
        return classNames.get(k);
    }

    /** Cue (canonical text) → class (unmodifiable, in text order). */
    public Map<String, Integer> cueClasses() {
        return cueClasses;
    }

    /** The cues (canonical text) of class {@code k}, in text order. */
    public List<String> cuesOf(int k) {
        List<String> r = new ArrayList<>();
        cueClasses.forEach(
                (cue, c) -> {
                    if (c == k) {
                        r.add(cue);
                    }
                });
        return r;
    }

    /** Window length, seconds. */
    public double trialS() {
        return trialS;
    }

    /** Seconds from a cue to its window's start. */
    public double startOffsetS() {
        return startOffsetS;
    }

    /** End cues (canonical text; unmodifiable). */
    public Set<String> endCues() {
        return endCues;
    }

    /** Ignored markers (canonical text; unmodifiable). */
    public Set<String> ignoredMarkers() {
        return ignoredMarkers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrialProtocol p
                && cueClasses.equals(p.cueClasses)
                && classNames.equals(p.classNames)
                && Double.compare(trialS, p.trialS) == 0
                && Double.compare(startOffsetS, p.startOffsetS) == 0
                && endCues.equals(p.endCues)
                && ignoredMarkers.equals(p.ignoredMarkers);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                cueClasses, classNames, trialS, startOffsetS, endCues, ignoredMarkers);
    }

    @Override
    public String toString() {
        return "TrialProtocol[cueClasses="
                + cueClasses
                + ", classNames="
                + classNames
                + ", trialS="
                + trialS
                + ", startOffsetS="
                + startOffsetS
                + ", endCues="
                + endCues
                + ", ignoredMarkers="
                + ignoredMarkers
                + "]";
    }
}
