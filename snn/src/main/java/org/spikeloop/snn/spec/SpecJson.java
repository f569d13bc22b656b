package org.spikeloop.snn.spec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * Reads and writes {@link NetworkSpec} as JSON. Every field may be omitted and then takes the
 * documented default of its record ({@link NeuronSpec#lif()}, {@link ReadoutSpec#leaky}); unknown
 * fields are errors, so a typo never silently falls back to a default. Errors name the field path.
 *
 * <pre>{@code
 * {"dtMs": 1.0, "inputs": 96,
 *  "layers": [{"size": 256, "recurrent": true, "neuron": {"model": "alif", "tauMemMs": 20}}],
 *  "readout": {"type": "leaky", "size": 2, "tauOutMs": 20}}
 * }</pre>
 */
public final class SpecJson {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().create();

    private SpecJson() {}

    /**
     * Parses a network spec.
     *
     * @throws InvalidSpecException naming the field path when a value is missing, unknown or out of
     *     range, or when the text is not JSON
     */
    public static NetworkSpec parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new InvalidSpecException("(network)", "is not valid JSON: " + e.getMessage());
        }
        return network(object(root, "(network)"));
    }

    /** Parses a network spec from an already parsed JSON object. */
    public static NetworkSpec network(JsonObject o) {
        allowOnly(o, "(network)", Set.of("dtMs", "inputs", "conv", "layers", "readout"));
        double dtMs = num(o, "dtMs", 1.0);
        int inputs = integer(o, "inputs", null);
        ConvSpec conv = null;
        if (o.has("conv") && !o.get("conv").isJsonNull()) {
            conv = under("conv", () -> conv(object(o.get("conv"), "conv")));
        }
        JsonElement layersJson = o.get("layers");
        if (layersJson == null || !layersJson.isJsonArray()) {
            throw new InvalidSpecException("layers", "must be an array of layer objects");
        }
        JsonArray arr = layersJson.getAsJsonArray();
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < arr.size(); l++) {
            String path = "layers[" + l + "]";
            JsonElement e = arr.get(l);
            layers.add(under(path, () -> layer(object(e, "(layer)"))));
        }
        ReadoutSpec readout =
                under(
                        "readout",
                        () ->
                                readout(
                                        o.has("readout")
                                                ? object(o.get("readout"), "(readout)")
                                                : new JsonObject()));
        return new NetworkSpec(dtMs, inputs, conv, layers, readout);
    }

    private static LayerSpec layer(JsonObject o) {
        allowOnly(o, "(layer)", Set.of("size", "recurrent", "neuron"));
        int size = integer(o, "size", null);
        boolean recurrent = bool(o, "recurrent", true);
        NeuronSpec neuron = under("neuron", () -> neuron(optionalObject(o, "neuron")));
        return new LayerSpec(size, recurrent, neuron);
    }

    private static ConvSpec conv(JsonObject o) {
        allowOnly(o, "(conv)", Set.of("outChannels", "kernelSize", "stride", "padding", "neuron"));
        int k = integer(o, "kernelSize", null);
        return new ConvSpec(
                integer(o, "outChannels", null),
                k,
                integer(o, "stride", 1),
                integer(o, "padding", k - 1),
                under("neuron", () -> neuron(optionalObject(o, "neuron"))));
    }

    private static ReadoutSpec readout(JsonObject o) {
        allowOnly(o, "(readout)", Set.of("type", "size", "tauOutMs", "neuron"));
        ReadoutType type = enumValue(ReadoutType.class, o, "type", ReadoutType.LEAKY);
        return new ReadoutSpec(
                type,
                integer(o, "size", null),
                num(o, "tauOutMs", 20.0),
                under("neuron", () -> neuron(optionalObject(o, "neuron"))));
    }

    /** Parses neuron hyperparameters, starting from {@link NeuronSpec#lif()}'s defaults. */
    public static NeuronSpec neuron(JsonObject o) {
        NeuronSpec d = NeuronSpec.lif();
        allowOnly(
                o,
                "(neuron)",
                Set.of(
                        "model",
                        "tauMemMs",
                        "thresholdInit",
                        "reset",
                        "resetOffsetInit",
                        "refractorySteps",
                        "tauAdaptMs",
                        "adaptBeta",
                        "tauDendMs",
                        "couplingGain",
                        "dendriticSpikes",
                        "dendriticThreshold",
                        "surrogate",
                        "dendriticSurrogate"));
        return new NeuronSpec(
                enumValue(NeuronModel.class, o, "model", d.model()),
                num(o, "tauMemMs", d.tauMemMs()),
                num(o, "thresholdInit", d.thresholdInit()),
                enumValue(ResetMode.class, o, "reset", d.reset()),
                num(o, "resetOffsetInit", d.resetOffsetInit()),
                integer(o, "refractorySteps", d.refractorySteps()),
                num(o, "tauAdaptMs", d.tauAdaptMs()),
                num(o, "adaptBeta", d.adaptBeta()),
                num(o, "tauDendMs", d.tauDendMs()),
                num(o, "couplingGain", d.couplingGain()),
                bool(o, "dendriticSpikes", d.dendriticSpikes()),
                num(o, "dendriticThreshold", d.dendriticThreshold()),
                under("surrogate", () -> surrogate(optionalObject(o, "surrogate"), d.surrogate())),
                under(
                        "dendriticSurrogate",
                        () ->
                                surrogate(
                                        optionalObject(o, "dendriticSurrogate"),
                                        d.dendriticSurrogate())));
    }

    private static SurrogateSpec surrogate(JsonObject o, SurrogateSpec d) {
        allowOnly(o, "(surrogate)", Set.of("name", "scale", "gain"));
        String name = o.has("name") ? string(o, "name") : d.name();
        try {
            return new SurrogateSpec(name, num(o, "scale", d.scale()), num(o, "gain", d.gain()));
        } catch (InvalidSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // SurrogateSpec's messages start with "surrogate.<field>"; keep just the field.
            String msg = e.getMessage();
            String rest = msg.startsWith("surrogate.") ? msg.substring("surrogate.".length()) : msg;
            int space = rest.indexOf(' ');
            throw new InvalidSpecException(rest.substring(0, space), rest.substring(space + 1));
        }
    }

    /** Writes a spec as pretty-printed JSON that {@link #parse} reads back to an equal spec. */
    public static String write(NetworkSpec spec) {
        return PRETTY.toJson(toJson(spec));
    }

    /** The spec as a JSON tree (every field explicit). */
    public static JsonObject toJson(NetworkSpec spec) {
        JsonObject o = new JsonObject();
        o.addProperty("dtMs", spec.dtMs());
        o.addProperty("inputs", spec.inputs());
        if (spec.conv() != null) {
            ConvSpec c = spec.conv();
            JsonObject co = new JsonObject();
            co.addProperty("outChannels", c.outChannels());
            co.addProperty("kernelSize", c.kernelSize());
            co.addProperty("stride", c.stride());
            co.addProperty("padding", c.padding());
            co.add("neuron", toJson(c.neuron()));
            o.add("conv", co);
        }
        JsonArray layers = new JsonArray();
        for (LayerSpec l : spec.layers()) {
            JsonObject lo = new JsonObject();
            lo.addProperty("size", l.size());
            lo.addProperty("recurrent", l.recurrent());
            lo.add("neuron", toJson(l.neuron()));
            layers.add(lo);
        }
        o.add("layers", layers);
        JsonObject r = new JsonObject();
        r.addProperty("type", spec.readout().type().name().toLowerCase(Locale.ROOT));
        r.addProperty("size", spec.readout().size());
        r.addProperty("tauOutMs", spec.readout().tauOutMs());
        r.add("neuron", toJson(spec.readout().neuron()));
        o.add("readout", r);
        return o;
    }

    private static JsonObject toJson(NeuronSpec n) {
        JsonObject o = new JsonObject();
        o.addProperty("model", n.model().name().toLowerCase(Locale.ROOT));
        o.addProperty("tauMemMs", n.tauMemMs());
        o.addProperty("thresholdInit", n.thresholdInit());
        o.addProperty("reset", n.reset().name().toLowerCase(Locale.ROOT));
        o.addProperty("resetOffsetInit", n.resetOffsetInit());
        o.addProperty("refractorySteps", n.refractorySteps());
        o.addProperty("tauAdaptMs", n.tauAdaptMs());
        o.addProperty("adaptBeta", n.adaptBeta());
        o.addProperty("tauDendMs", n.tauDendMs());
        o.addProperty("couplingGain", n.couplingGain());
        o.addProperty("dendriticSpikes", n.dendriticSpikes());
        o.addProperty("dendriticThreshold", n.dendriticThreshold());
        o.add("surrogate", toJson(n.surrogate()));
        o.add("dendriticSurrogate", toJson(n.dendriticSurrogate()));
        return o;
    }

    private static JsonObject toJson(SurrogateSpec s) {
        JsonObject o = new JsonObject();
        o.addProperty("name", s.name());
        o.addProperty("scale", s.scale());
        o.addProperty("gain", s.gain());
        return o;
    }

    // ---- field readers: each error names the field ----

    private interface Part<T> {
        T get();
    }

    private static <T> T under(String prefix, Part<T> part) {
        try {
            return part.get();
        } catch (InvalidSpecException e) {
            throw e.under(prefix);
        }
    }

    private static JsonObject object(JsonElement e, String field) {
        if (e == null || !e.isJsonObject()) {
            throw new InvalidSpecException(field, "must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static JsonObject optionalObject(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return new JsonObject();
        }
        return object(e, field);
    }

    private static void allowOnly(JsonObject o, String where, Set<String> known) {
        for (String key : o.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidSpecException(
                        key, "is not a known field of " + where + "; known: " + known);
            }
        }
    }

    private static JsonPrimitive primitive(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw new InvalidSpecException(field, "must be a JSON value, got " + e);
        }
        return e.getAsJsonPrimitive();
    }

    private static double num(JsonObject o, String field, double dflt) {
        if (!o.has(field)) {
            return dflt;
        }
        JsonPrimitive p = primitive(o, field);
        if (!p.isNumber()) {
            throw new InvalidSpecException(field, "must be a number, got " + p);
        }
        return p.getAsDouble();
    }

    private static int integer(JsonObject o, String field, Integer dflt) {
        if (!o.has(field)) {
            if (dflt == null) {
                throw new InvalidSpecException(field, "is missing");
            }
            return dflt;
        }
        JsonPrimitive p = primitive(o, field);
        if (!p.isNumber() || p.getAsDouble() != Math.rint(p.getAsDouble())) {
            throw new InvalidSpecException(field, "must be an integer, got " + p);
        }
        return p.getAsInt();
    }

    private static boolean bool(JsonObject o, String field, boolean dflt) {
        if (!o.has(field)) {
            return dflt;
        }
        JsonPrimitive p = primitive(o, field);
        if (!p.isBoolean()) {
            throw new InvalidSpecException(field, "must be true or false, got " + p);
        }
        return p.getAsBoolean();
    }

    private static String string(JsonObject o, String field) {
        JsonPrimitive p = primitive(o, field);
        if (!p.isString()) {
            throw new InvalidSpecException(field, "must be a string, got " + p);
        }
        return p.getAsString();
    }

    private static <E extends Enum<E>> E enumValue(
            Class<E> type, JsonObject o, String field, E dflt) {
        if (!o.has(field)) {
            return dflt;
        }
        String s = string(o, field);
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E v : type.getEnumConstants()) {
                names.add(v.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidSpecException(field, "'" + s + "' is unknown; known: " + names);
        }
    }
}
