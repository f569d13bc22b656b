package org.spikeloop.learn.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spikeloop.learn.trials.InvalidTrialProtocolException;
import org.spikeloop.learn.trials.TrialProtocol;

/**
 * What a training job learns: the {@code task} object of a job config.
 *
 * <pre>{@code
 * "task": {"kind": "regression"}                               // the default: continuous labels
 * "task": {"kind": "classification",
 *          "cueClasses": {"769": "left", "770": "right", "left_hand": "left"},
 *          "classNames": ["left", "right"],
 *          "trialS": 4, "startOffsetS": 0.5,
 *          "endCues": ["800"], "ignoredMarkers": ["768", "32766"],
 *          "leadInS": 1.0}
 * }</pre>
 *
 * Classification reads the labels stream as markers (strings or numbers) and cuts trials with the
 * {@link TrialProtocol} these fields make: {@code cueClasses} maps a cue to a class by name (one of
 * {@code classNames}) or by index; {@code endCues} and {@code ignoredMarkers} default to none,
 * {@code startOffsetS} to 0. {@code leadInS} (default {@value #DEFAULT_LEAD_IN_S} s, in [0, {@value
 * #MAX_LEAD_IN_S}]) is how much of the recording before each trial window an SG-BPTT training
 * sequence starts with, so the network's state has settled when the window opens. Unknown fields
 * are refused; errors name the field ({@code task.cueClasses: ...}).
 *
 * @param kind regression or classification
 * @param protocol the trial protocol (classification), or null
 * @param leadInS seconds of lead-in before each training window (classification)
 */
public record TaskSpec(Kind kind, TrialProtocol protocol, double leadInS) {
    /** Default {@code leadInS}. */
    public static final double DEFAULT_LEAD_IN_S = 1.0;

    /** Upper bound of {@code leadInS}. */
    public static final double MAX_LEAD_IN_S = 10.0;

    /** What a job learns. */
    public enum Kind {
        /** Continuous labels, {@code readout_mse}. */
        REGRESSION,
        /** Classes from a marker stream, {@code readout_ce}. */
        CLASSIFICATION
    }

    private static final Set<String> FIELDS =
            Set.of(
                    "kind",
                    "cueClasses",
                    "classNames",
                    "trialS",
                    "startOffsetS",
                    "endCues",
                    "ignoredMarkers",
                    "leadInS");

    /** The task of a config without {@code task}. */
    public static TaskSpec regression() {
        return new TaskSpec(Kind.REGRESSION, null, 0.0);
    }

    /**
     * Parses the {@code task} object.
     *
     * @throws IllegalArgumentException naming the field
     */
    public static TaskSpec parse(JsonObject o) {
        String kind = text(o, "kind");
        if (kind.equals("regression")) {
            for (String k : o.keySet()) {
                if (!k.equals("kind")) {
                    throw new IllegalArgumentException(
                            "task." + k + " is not a field of a regression task; known: [kind]");
                }
            }
            return regression();
        }
        if (!kind.equals("classification")) {
            throw new IllegalArgumentException(
                    "task.kind '" + kind + "' is unknown; known: [regression, classification]");
        }
        for (String k : o.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new IllegalArgumentException(
                        "task." + k + " is not a known field; known: " + FIELDS);
            }
        }
        List<String> names = strings(o, "classNames", true);
        JsonElement cues = o.get("cueClasses");
        if (cues == null || !cues.isJsonObject()) {
            throw new IllegalArgumentException(
                    "task.cueClasses must be an object: marker text → class name or index");
        }
        Map<String, Integer> cueClasses = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : cues.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
                int k = names.indexOf(v.getAsString());
                if (k < 0) {
                    throw new IllegalArgumentException(
                            "task.cueClasses: '"
                                    + e.getKey()
                                    + "' → '"
                                    + v.getAsString()
                                    + "', which is not in classNames "
                                    + names);
                }
                cueClasses.put(e.getKey(), k);
            } else if (v.isJsonPrimitive()
                    && v.getAsJsonPrimitive().isNumber()
                    && v.getAsDouble() == Math.rint(v.getAsDouble())
                    && Math.abs(v.getAsDouble()) < Integer.MAX_VALUE) {
                cueClasses.put(e.getKey(), (int) v.getAsDouble());
            } else {
                throw new IllegalArgumentException(
                        "task.cueClasses: '"
                                + e.getKey()
                                + "' → "
                                + v
                                + "; give a class name or an index");
            }
        }
        double leadIn = number(o, "leadInS", DEFAULT_LEAD_IN_S);
        if (!(leadIn >= 0 && leadIn <= MAX_LEAD_IN_S)) {
            throw new IllegalArgumentException(
                    "task.leadInS must be in [0, " + MAX_LEAD_IN_S + "] s, got " + leadIn);
        }
        try {
            return new TaskSpec(
                    Kind.CLASSIFICATION,
                    new TrialProtocol(
                            cueClasses,
                            names,
                            number(o, "trialS", Double.NaN),
                            number(o, "startOffsetS", 0.0),
                            strings(o, "endCues", false),
                            strings(o, "ignoredMarkers", false)),
                    leadIn);
        } catch (InvalidTrialProtocolException e) {
            throw new IllegalArgumentException(
                    "task." + e.camelCaseField() + ": " + e.problem(), e);
        }
    }

    /** The JSON form (as {@link #parse} reads it; cues by class name). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind == Kind.REGRESSION ? "regression" : "classification");
        if (kind == Kind.CLASSIFICATION) {
            JsonObject cues = new JsonObject();
            protocol.cueClasses().forEach((c, k) -> cues.addProperty(c, protocol.className(k)));
            o.add("cueClasses", cues);
            o.add("classNames", array(protocol.classNames()));
            o.addProperty("trialS", protocol.trialS());
            o.addProperty("startOffsetS", protocol.startOffsetS());
            o.add("endCues", array(new ArrayList<>(protocol.endCues())));
            o.add("ignoredMarkers", array(new ArrayList<>(protocol.ignoredMarkers())));
            o.addProperty("leadInS", leadInS);
        }
        return o;
    }

    private static JsonArray array(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static String text(JsonObject o, String f) {
        JsonElement e = o.get(f);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(
                    "task." + f + " is missing; give \"regression\" or \"classification\"");
        }
        return e.getAsString();
    }

    private static List<String> strings(JsonObject o, String f, boolean required) {
        JsonElement e = o.get(f);
        if (e == null) {
            if (required) {
                throw new IllegalArgumentException("task." + f + " is missing");
            }
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("task." + f + " must be an array of strings");
        }
        List<String> r = new ArrayList<>();
        for (int i = 0; i < e.getAsJsonArray().size(); i++) {
            JsonElement v = e.getAsJsonArray().get(i);
            if (!v.isJsonPrimitive()) {
                throw new IllegalArgumentException("task." + f + "[" + i + "] must be a string");
            }
            r.add(v.getAsString()); // numbers are taken as their text ("769" or 769)
        }
        return r;
    }

    private static double number(JsonObject o, String f, double dflt) {
        JsonElement e = o.get(f);
        if (e == null) {
            if (Double.isNaN(dflt)) {
                throw new IllegalArgumentException("task." + f + " is missing");
            }
            return dflt;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("task." + f + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }
}
