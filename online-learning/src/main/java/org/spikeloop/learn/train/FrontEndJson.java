package org.spikeloop.learn.train;

import static org.spikeloop.learn.train.JsonFields.REQUIRED;
import static org.spikeloop.learn.train.JsonFields.allowOnly;
import static org.spikeloop.learn.train.JsonFields.bool;
import static org.spikeloop.learn.train.JsonFields.number;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.spikeloop.signal.Band;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.StageSpec;

/**
 * The JSON form of a signal front-end ({@link FrontEndSpec}): the {@code frontEnd} object of a job
 * config and the front-end a session recording names in its samples stream's header, so that a
 * training job rebuilds exactly the chain the session ran. The stages mirror the API's {@code
 * FrontEndSpec} message (session.proto) in its JSON spelling:
 *
 * <pre>{@code
 * {"inputChannels": 4, "inputRateHz": 256,           // the header only; a job config omits them
 *  "stages": [
 *    {"spikeBinning": {"dtMs": 1}},
 *    {"bandPass": {"band": {"lowHz": 8, "highHz": 30}, "order": 4}},
 *    {"bandPower": {"bands": [{"lowHz": 8, "highHz": 12}, {"lowHz": 13, "highHz": 30}],
 *                   "order": 4, "windowS": 0.5, "outputRateHz": 32, "log": true}},
 *    {"normalise": {"timeConstantS": 30, "varianceFloor": 1e-6}}]}
 * }</pre>
 *
 * Defaults as in the API: {@code order} 4, {@code varianceFloor} 1e−6, {@code log} false. Unknown
 * fields are refused; every error names the field path. Numbers are written with full precision
 * ({@link Double#toString}), so a written spec reads back equal — except a binning step, written in
 * milliseconds, which may come back one ulp off; {@link #difference} therefore compares numbers to
 * a relative 1e−9.
 *
 * <p>Stateless; thread-safe.
 */
public final class FrontEndJson {
    /** Relative tolerance of {@link #difference} on numbers. */
    static final double RELATIVE_TOLERANCE = 1e-9;

    private FrontEndJson() {}

    /** The full form: source channels and rate, and the stages. */
    public static String write(FrontEndSpec spec) {
        JsonObject o = new JsonObject();
        o.addProperty("inputChannels", spec.inputChannels());
        o.addProperty("inputRateHz", spec.inputRateHz());
        o.add("stages", stages(spec.stages()));
        return o.toString();
    }

    /** The stages as a JSON array. */
    public static JsonArray stages(List<StageSpec> stages) {
        JsonArray a = new JsonArray();
        for (StageSpec st : stages) {
            JsonObject wrapper = new JsonObject();
            JsonObject s = new JsonObject();
            if (st instanceof StageSpec.Binning b) {
                s.addProperty("dtMs", b.dtS() * 1000.0);
                wrapper.add("spikeBinning", s);
            } else if (st instanceof StageSpec.BandPass bp) {
                s.add("band", band(bp.band()));
                s.addProperty("order", bp.order());
                wrapper.add("bandPass", s);
            } else if (st instanceof StageSpec.Power p) {
                JsonArray bands = new JsonArray();
                p.bands().forEach(b -> bands.add(band(b)));
                s.add("bands", bands);
                s.addProperty("order", p.order());
                s.addProperty("windowS", p.windowS());
                s.addProperty("outputRateHz", p.outputRateHz());
                s.addProperty("log", p.log());
                wrapper.add("bandPower", s);
            } else if (st instanceof StageSpec.Normalise n) {
                s.addProperty("timeConstantS", n.timeConstantS());
                s.addProperty("varianceFloor", n.varianceFloor());
                wrapper.add("normalise", s);
            }
            a.add(wrapper);
        }
        return a;
    }

    private static JsonObject band(Band b) {
        JsonObject o = new JsonObject();
        o.addProperty("lowHz", b.lowHz());
        o.addProperty("highHz", b.highHz());
        return o;
    }

    /**
     * Reads the full form ({@link #write}).
     *
     * @throws IllegalArgumentException naming the field when the text is not such an object or a
     *     stage is invalid for the source it names
     */
    public static FrontEndSpec read(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("front-end is not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("front-end must be a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        allowOnly(o, "frontEnd", Set.of("inputChannels", "inputRateHz", "stages"));
        double channels = number(o, "inputChannels", REQUIRED, "frontEnd");
        if (channels != Math.rint(channels) || channels < 1 || channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "frontEnd.inputChannels must be an integer >= 1, got " + channels);
        }
        double rate = number(o, "inputRateHz", REQUIRED, "frontEnd");
        List<StageSpec> stages = parseStages(o, "frontEnd");
        try {
            return new FrontEndSpec((int) channels, rate, stages);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("frontEnd: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code stages} of a front-end object (a job config's {@code frontEnd}, whose source is
     * the recording's; its other fields are the caller's to check).
     *
     * @param path the object's field path, for errors ({@code frontEnd})
     * @throws IllegalArgumentException naming the field
     */
    public static List<StageSpec> parseStages(JsonObject o, String path) {
        JsonElement s = o.get("stages");
        if (s == null || !s.isJsonArray()) {
            throw new IllegalArgumentException(
                    path + ".stages must be an array of stages (may be empty)");
        }
        JsonArray arr = s.getAsJsonArray();
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String at = path + ".stages[" + i + "]";
            if (!arr.get(i).isJsonObject() || arr.get(i).getAsJsonObject().size() != 1) {
                throw new IllegalArgumentException(
                        at
                                + " must be an object with one of spikeBinning, bandPass, bandPower,"
                                + " normalise");
            }
            JsonObject wrapper = arr.get(i).getAsJsonObject();
            String kind = wrapper.keySet().iterator().next();
            JsonElement body = wrapper.get(kind);
            if (!body.isJsonObject()) {
                throw new IllegalArgumentException(at + "." + kind + " must be an object");
            }
            JsonObject b = body.getAsJsonObject();
            String p = at + "." + kind;
            try {
                stages.add(
                        switch (kind) {
                            case "spikeBinning" -> {
                                allowOnly(b, p, Set.of("dtMs"));
                                yield new StageSpec.Binning(
                                        number(b, "dtMs", REQUIRED, p) / 1000.0);
                            }
                            case "bandPass" -> {
                                allowOnly(b, p, Set.of("band", "order"));
                                yield new StageSpec.BandPass(
                                        band(b.get("band"), p + ".band"), order(b, p));
                            }
                            case "bandPower" -> {
                                allowOnly(
                                        b,
                                        p,
                                        Set.of("bands", "order", "windowS", "outputRateHz", "log"));
                                JsonElement bs = b.get("bands");
                                if (bs == null || !bs.isJsonArray()) {
                                    throw new IllegalArgumentException(
                                            p + ".bands must be an array of bands");
                                }
                                List<Band> bands = new ArrayList<>();
                                for (int k = 0; k < bs.getAsJsonArray().size(); k++) {
                                    bands.add(
                                            band(
                                                    bs.getAsJsonArray().get(k),
                                                    p + ".bands[" + k + "]"));
                                }
                                yield new StageSpec.Power(
                                        bands,
                                        order(b, p),
                                        number(b, "windowS", REQUIRED, p),
                                        number(b, "outputRateHz", REQUIRED, p),
                                        bool(b, "log", false, p));
                            }
                            case "normalise" -> {
                                allowOnly(b, p, Set.of("timeConstantS", "varianceFloor"));
                                yield new StageSpec.Normalise(
                                        number(b, "timeConstantS", REQUIRED, p),
                                        number(b, "varianceFloor", 1e-6, p));
                            }
                            default ->
                                    throw new IllegalArgumentException(
                                            at
                                                    + "."
                                                    + kind
                                                    + " is not a stage; known: [spikeBinning,"
                                                    + " bandPass, bandPower, normalise]");
                        });
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                throw new IllegalArgumentException(m.startsWith(path) ? m : p + ": " + m, e);
            }
        }
        return stages;
    }

    /**
     * The first difference between two front-ends' stages, or null when they are the same (numbers
     * equal to a relative {@value #RELATIVE_TOLERANCE}), e.g. {@code "stage 0 (band-power): windowS
     * 0.5 vs 1.0"}.
     */
    public static String difference(List<StageSpec> a, List<StageSpec> b) {
        if (a.size() != b.size()) {
            return a.size() + " stages vs " + b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            StageSpec x = a.get(i);
            StageSpec y = b.get(i);
            if (!x.kind().equals(y.kind())) {
                return "stage " + i + " is " + x.kind() + " vs " + y.kind();
            }
            JsonElement jx = stages(List.of(x)).get(0).getAsJsonObject().get(kindName(x));
            JsonElement jy = stages(List.of(y)).get(0).getAsJsonObject().get(kindName(y));
            String d = difference(jx, jy, "");
            if (d != null) {
                return "stage " + i + " (" + x.kind() + "): " + d;
            }
        }
        return null;
    }

    private static String kindName(StageSpec s) {
        return stages(List.of(s)).get(0).getAsJsonObject().keySet().iterator().next();
    }

    private static String difference(JsonElement x, JsonElement y, String at) {
        if (x.isJsonObject() && y.isJsonObject()) {
            for (String k : x.getAsJsonObject().keySet()) {
                String d =
                        difference(
                                x.getAsJsonObject().get(k),
                                y.getAsJsonObject().get(k),
                                at.isEmpty() ? k : at + "." + k);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (x.isJsonArray() && y.isJsonArray()) {
            if (x.getAsJsonArray().size() != y.getAsJsonArray().size()) {
                return at
                        + " has "
                        + x.getAsJsonArray().size()
                        + " vs "
                        + y.getAsJsonArray().size()
                        + " entries";
            }
            for (int i = 0; i < x.getAsJsonArray().size(); i++) {
                String d =
                        difference(
                                x.getAsJsonArray().get(i),
                                y.getAsJsonArray().get(i),
                                at + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (x.isJsonPrimitive() && x.getAsJsonPrimitive().isNumber()) {
            double a = x.getAsDouble();
            double b = y.getAsDouble();
            double scale = Math.max(Math.abs(a), Math.abs(b));
            return Math.abs(a - b) <= RELATIVE_TOLERANCE * scale
                    ? null
                    : String.format(Locale.ROOT, "%s %s vs %s", at, a, b);
        }
        return x.equals(y) ? null : at + " " + x + " vs " + y;
    }

    private static Band band(JsonElement e, String path) {
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException(path + " must be an object {lowHz, highHz}");
        }
        JsonObject o = e.getAsJsonObject();
        allowOnly(o, path, Set.of("lowHz", "highHz"));
        try {
            return new Band(
                    number(o, "lowHz", REQUIRED, path), number(o, "highHz", REQUIRED, path));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(path + ": " + ex.getMessage(), ex);
        }
    }

    private static int order(JsonObject o, String path) {
        double v = number(o, "order", 4, path);
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException(path + ".order must be an integer, got " + v);
        }
        return (int) v;
    }
}
