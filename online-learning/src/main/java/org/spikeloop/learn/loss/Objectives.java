package org.spikeloop.learn.loss;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * Builds the objective's terms from configuration JSON; every error names the field path.
 *
 * <pre>{@code
 * "loss": {"name": "readout_mse"}                       // LEAKY readout, data y
 * "loss": {"name": "readout_ce", "average": "window"}   // LEAKY readout, data label (+ mask)
 * "loss": {"name": "spike_count_ce", "window": [0, 100]} // SPIKE_COUNT readout, data label
 * "loss": {"name": "first_to_spike", "population": "readout"} // data target_time (+ target_neuron)
 * "loss": {"name": "membrane_target", "population": "layer0", "target": 0.5} // (+ data v_target)
 * "regularisers": [{"name": "spike_count", "weight": 1e-4, "populations": ["layer0"]},
 *                  {"name": "rate_target", "weight": 1e-3, "targetHz": 10},
 *                  {"name": "membrane", "weight": 1e-4},
 *                  {"name": "information_bottleneck", "weight": 1e-2, "priorHz": 5}]
 * }</pre>
 *
 * Regularisers act on every hidden layer unless {@code populations} names others ({@code conv},
 * {@code layer<l>}, {@code readout}).
 */
public final class Objectives {
    /** Loss names. */
    public static final List<String> LOSSES =
            List.of(
                    "spike_count_ce",
                    "readout_mse",
                    "readout_ce",
                    "first_to_spike",
                    "membrane_target");

    /** Regulariser names. */
    public static final List<String> REGULARISERS =
            List.of("spike_count", "rate_target", "membrane", "information_bottleneck");

    private Objectives() {}

    /**
     * @param config the object holding {@code loss} (required) and {@code regularisers} (optional)
     * @throws IllegalArgumentException naming the field when a name is unknown or a value invalid
     */
    public static List<ObjectiveTerm> parse(JsonObject config, NetworkSpec spec) {
        PopulationIndex index = new PopulationIndex(spec);
        List<ObjectiveTerm> terms = new ArrayList<>();
        JsonElement loss = config.get("loss");
        if (loss == null || !loss.isJsonObject()) {
            throw new IllegalArgumentException(
                    "loss is missing: give an object with \"name\" (one of " + LOSSES + ")");
        }
        terms.add(loss(loss.getAsJsonObject(), spec, index));
        JsonElement regs = config.get("regularisers");
        if (regs != null && !regs.isJsonNull()) {
            if (!regs.isJsonArray()) {
                throw new IllegalArgumentException("regularisers must be an array of objects");
            }
            JsonArray arr = regs.getAsJsonArray();
            for (int i = 0; i < arr.size(); i++) {
                String path = "regularisers[" + i + "]";
                if (!arr.get(i).isJsonObject()) {
                    throw new IllegalArgumentException(path + " must be an object");
                }
                terms.add(regulariser(arr.get(i).getAsJsonObject(), path, spec, index));
            }
        }
        return terms;
    }

    private static ObjectiveTerm loss(JsonObject o, NetworkSpec spec, PopulationIndex index) {
        String name = name(o, "loss", LOSSES);
        boolean spikeReadout = spec.readout().type() == ReadoutType.SPIKE_COUNT;
        switch (name) {
            case "spike_count_ce":
                {
                    allowOnly(o, "loss", Set.of("name", "window"));
                    if (!spikeReadout) {
                        throw new IllegalArgumentException(
                                "loss.name 'spike_count_ce' needs a spike_count readout"
                                        + " (network.readout.type)");
                    }
                    int from = 0;
                    int to = -1;
                    if (o.has("window")) {
                        JsonElement w = o.get("window");
                        if (!w.isJsonArray() || w.getAsJsonArray().size() != 2) {
                            throw new IllegalArgumentException(
                                    "loss.window must be [from, to] in network steps");
                        }
                        from = w.getAsJsonArray().get(0).getAsInt();
                        to = w.getAsJsonArray().get(1).getAsInt();
                        if (from < 0 || (to >= 0 && to <= from)) {
                            throw new IllegalArgumentException(
                                    "loss.window [" + from + ", " + to + ") is empty or negative");
                        }
                    }
                    return new SpikeCountCrossEntropy(
                            index.indexOf("readout", "loss.population"), spec.outputs(), from, to);
                }
            case "readout_mse":
                allowOnly(o, "loss", Set.of("name"));
                if (spikeReadout) {
                    throw new IllegalArgumentException(
                            "loss.name 'readout_mse' needs a leaky readout (network.readout.type)");
                }
                return new ReadoutMse(spec.outputs());
            case "readout_ce":
                {
                    allowOnly(o, "loss", Set.of("name", "average"));
                    if (spikeReadout) {
                        throw new IllegalArgumentException(
                                "loss.name 'readout_ce' needs a leaky readout"
                                        + " (network.readout.type)");
                    }
                    String avg = string(o, "average", "window", "loss");
                    ReadoutCrossEntropy.Average average =
                            switch (avg) {
                                case "window" -> ReadoutCrossEntropy.Average.WINDOW;
                                case "step" -> ReadoutCrossEntropy.Average.STEP;
                                default ->
                                        throw new IllegalArgumentException(
                                                "loss.average '"
                                                        + avg
                                                        + "' is unknown; known: [window, step]");
                            };
                    return new ReadoutCrossEntropy(spec.outputs(), average);
                }
            case "first_to_spike":
                {
                    allowOnly(o, "loss", Set.of("name", "population"));
                    String popName = string(o, "population", "readout", "loss");
                    int pop = index.indexOf(popName, "loss.population");
                    return new FirstToSpike(pop, index.size(pop));
                }
            default: // membrane_target
                {
                    allowOnly(o, "loss", Set.of("name", "population", "target"));
                    int pop =
                            index.indexOf(
                                    string(o, "population", "layer0", "loss"), "loss.population");
                    return new MembraneTarget(
                            pop, index.size(pop), number(o, "target", 0.0, "loss"));
                }
        }
    }

    private static ObjectiveTerm regulariser(
            JsonObject o, String path, NetworkSpec spec, PopulationIndex index) {
        String name = name(o, path, REGULARISERS);
        int[] pops = index.hiddenLayers();
        if (o.has("populations")) {
            JsonElement p = o.get("populations");
            if (!p.isJsonArray() || p.getAsJsonArray().size() == 0) {
                throw new IllegalArgumentException(
                        path + ".populations must be a non-empty array of names " + index.names());
            }
            JsonArray arr = p.getAsJsonArray();
            pops = new int[arr.size()];
            for (int i = 0; i < arr.size(); i++) {
                pops[i] = index.indexOf(arr.get(i).getAsString(), path + ".populations[" + i + "]");
            }
        }
        int[] sizes = new int[pops.length];
        for (int i = 0; i < pops.length; i++) {
            sizes[i] = index.size(pops[i]);
        }
        double weight = number(o, "weight", Double.NaN, path);
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException(
                    path + ".weight must be a finite number >= 0, got " + weight);
        }
        switch (name) {
            case "spike_count":
                allowOnly(o, path, Set.of("name", "weight", "populations"));
                return new SpikeCountPenalty(pops, sizes, weight);
            case "rate_target":
                {
                    allowOnly(o, path, Set.of("name", "weight", "populations", "targetHz"));
                    double hz = number(o, "targetHz", Double.NaN, path);
                    if (!Double.isFinite(hz) || hz < 0) {
                        throw new IllegalArgumentException(
                                path + ".targetHz must be a finite number >= 0, got " + hz);
                    }
                    return new RateTarget(pops, sizes, weight, hz, spec.dtMs());
                }
            case "information_bottleneck":
                {
                    allowOnly(o, path, Set.of("name", "weight", "populations", "priorHz"));
                    double hz = number(o, "priorHz", InformationBottleneck.DEFAULT_PRIOR_HZ, path);
                    double pi = hz * spec.dtMs() / 1000.0;
                    if (!(pi > 0 && pi < 1)) {
                        throw new IllegalArgumentException(
                                path
                                        + ".priorHz must be > 0 and below 1/dt ("
                                        + 1000.0 / spec.dtMs()
                                        + " Hz), got "
                                        + hz);
                    }
                    return new InformationBottleneck(pops, sizes, weight, hz, spec.dtMs());
                }
            default: // membrane
                allowOnly(o, path, Set.of("name", "weight", "populations"));
                return new MembranePenalty(pops, sizes, weight);
        }
    }

    private static String name(JsonObject o, String path, List<String> known) {
        JsonElement n = o.get("name");
        if (n == null || !n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(path + ".name is missing; known: " + known);
        }
        String name = n.getAsString();
        if (!known.contains(name)) {
            throw new IllegalArgumentException(
                    path + ".name '" + name + "' is unknown; known: " + known);
        }
        return name;
    }

    private static void allowOnly(JsonObject o, String path, Set<String> fields) {
        for (String k : o.keySet()) {
            if (!fields.contains(k)) {
                throw new IllegalArgumentException(
                        path + "." + k + " is not a known field; known: " + fields);
            }
        }
    }

    private static String string(JsonObject o, String field, String dflt, String path) {
        if (!o.has(field)) {
            return dflt;
        }
        JsonElement e = o.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(path + "." + field + " must be a string");
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String field, double dflt, String path) {
        if (!o.has(field)) {
            if (Double.isNaN(dflt)) {
                throw new IllegalArgumentException(path + "." + field + " is missing");
            }
            return dflt;
        }
        JsonElement e = o.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(path + "." + field + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }
}
