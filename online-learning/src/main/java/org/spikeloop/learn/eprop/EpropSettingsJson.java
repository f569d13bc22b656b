package org.spikeloop.learn.eprop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the {@code "eprop"} object of an e-prop job configuration into an {@link EpropConfig}.
 * Control plane only. Every key is optional (defaults of {@link EpropConfig#builder()}); an unknown
 * key, a wrong type or an invalid value is an {@link IllegalArgumentException} naming {@code
 * eprop.<key>}.
 *
 * <pre>{@code
 * {"loss": "mse" | "softmax_cross_entropy", "feedback": "symmetric" | "random" | "given",
 *  "feedbackSeed": 1, "optimizer": "sgd" | "adam",
 *  "learningRate": 1e-3 (all groups), "lrInput", "lrRecurrent", "lrBias", "lrReadout",
 *  "lrReadoutBias", "adamBeta1", "adamBeta2", "adamEpsilon", "updateIntervalSteps": 0,
 *  "rateRegularization": 0, "targetRateHz": 10, "rateTauMs": 1000, "maxLearningRate": 0.1,
 *  "maxWeightChange", "maxWeightNorm", "windowSteps": 0 (auto), "nestReadoutScaling": false,
 *  "nestCompatibility": "none" | "bsshslm_2020"}
 * }</pre>
 */
public final class EpropSettingsJson {
    private static final Set<String> KEYS =
            Set.of(
                    "loss",
                    "feedback",
                    "feedbackSeed",
                    "optimizer",
                    "learningRate",
                    "lrInput",
                    "lrRecurrent",
                    "lrBias",
                    "lrReadout",
                    "lrReadoutBias",
                    "adamBeta1",
                    "adamBeta2",
                    "adamEpsilon",
                    "updateIntervalSteps",
                    "rateRegularization",
                    "targetRateHz",
                    "rateTauMs",
                    "maxLearningRate",
                    "maxWeightChange",
                    "maxWeightNorm",
                    "windowSteps",
                    "nestReadoutScaling",
                    "nestCompatibility");

    private EpropSettingsJson() {}

    /**
     * @param o the {@code "eprop"} object, or null for all defaults
     * @return the validated configuration
     * @throws IllegalArgumentException naming {@code eprop.<key>}
     */
    public static EpropConfig parse(JsonObject o) {
        EpropConfig.Builder b = EpropConfig.builder();
        if (o == null) {
            return b.build();
        }
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(
                        "eprop." + k + " is not a known field; known: " + KEYS);
            }
        }
        if (o.has("loss")) {
            b.loss(enumValue(ReadoutLoss.class, o, "loss"));
        }
        if (o.has("feedback")) {
            b.feedback(enumValue(FeedbackMode.class, o, "feedback"));
        }
        if (o.has("feedbackSeed")) {
            b.feedbackSeed((long) num(o, "feedbackSeed"));
        }
        if (o.has("optimizer")) {
            b.optimizer(enumValue(OptimizerKind.class, o, "optimizer"));
        }
        if (o.has("maxLearningRate")) {
            b.maxLearningRate(num(o, "maxLearningRate"));
        }
        if (o.has("learningRate")) {
            b.learningRate(num(o, "learningRate"));
        }
        if (o.has("lrInput")) {
            b.lrInput(num(o, "lrInput"));
        }
        if (o.has("lrRecurrent")) {
            b.lrRecurrent(num(o, "lrRecurrent"));
        }
        if (o.has("lrBias")) {
            b.lrBias(num(o, "lrBias"));
        }
        if (o.has("lrReadout")) {
            b.lrReadout(num(o, "lrReadout"));
        }
        if (o.has("lrReadoutBias")) {
            b.lrReadoutBias(num(o, "lrReadoutBias"));
        }
        EpropConfig defaults = EpropConfig.builder().build();
        b.adam(
                o.has("adamBeta1") ? num(o, "adamBeta1") : defaults.adamBeta1(),
                o.has("adamBeta2") ? num(o, "adamBeta2") : defaults.adamBeta2(),
                o.has("adamEpsilon") ? num(o, "adamEpsilon") : defaults.adamEpsilon());
        if (o.has("updateIntervalSteps")) {
            b.updateIntervalSteps(integer(o, "updateIntervalSteps"));
        }
        b.rateRegularization(
                o.has("rateRegularization")
                        ? num(o, "rateRegularization")
                        : defaults.rateRegularization(),
                o.has("targetRateHz") ? num(o, "targetRateHz") : defaults.targetRateHz(),
                o.has("rateTauMs") ? num(o, "rateTauMs") : defaults.rateTauMs());
        if (o.has("maxWeightChange")) {
            b.maxWeightChange(num(o, "maxWeightChange"));
        }
        if (o.has("maxWeightNorm")) {
            b.maxWeightNorm(num(o, "maxWeightNorm"));
        }
        if (o.has("windowSteps")) {
            b.windowSteps(integer(o, "windowSteps"));
        }
        if (o.has("nestReadoutScaling")) {
            b.nestReadoutScaling(bool(o, "nestReadoutScaling"));
        }
        if (o.has("nestCompatibility")) {
            b.nestCompatibility(enumValue(NestCompatibility.class, o, "nestCompatibility"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eprop." + e.getMessage(), e);
        }
    }

    private static JsonPrimitive primitive(JsonObject o, String k) {
        JsonElement e = o.get(k);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(
                    "eprop." + k + " must be a number, string or boolean");
        }
        return e.getAsJsonPrimitive();
    }

    private static double num(JsonObject o, String k) {
        JsonPrimitive p = primitive(o, k);
        if (!p.isNumber()) {
            throw new IllegalArgumentException("eprop." + k + " must be a number, got " + p);
        }
        return p.getAsDouble();
    }

    private static int integer(JsonObject o, String k) {
        double v = num(o, k);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("eprop." + k + " must be an integer, got " + v);
        }
        return (int) v;
    }

    private static boolean bool(JsonObject o, String k) {
        JsonPrimitive p = primitive(o, k);
        if (!p.isBoolean()) {
            throw new IllegalArgumentException("eprop." + k + " must be true or false, got " + p);
        }
        return p.getAsBoolean();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonObject o, String k) {
        JsonPrimitive p = primitive(o, k);
        String v = p.getAsString();
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                known.append(known.length() == 0 ? "" : ", ")
                        .append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(
                    "eprop." + k + " = \"" + v + "\" is not one of: " + known);
        }
    }
}
