package org.spikeloop.server.jobs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * The job config used when a job gives none: the session's architecture, {@code readout_mse} on the
 * label stream, Adam η = 5·10⁻³, batch 16, at most 30 epochs, gradient clipping at norm 1 (a
 * recording may hold bursts that would otherwise blow up a step).
 */
public final class JobDefaults {
    private JobDefaults() {}

    /** The default config for {@code spec}. */
    public static JobConfig forArchitecture(NetworkSpec spec, int threads) {
        JsonObject o =
                JsonParser.parseString(
                                "{\"loss\":{\"name\":\"readout_mse\"},"
                                        + "\"training\":{\"optimizer\":\"adam\",\"learningRate\":5e-3,"
                                        + "\"epochs\":30,\"batchSize\":16,\"clipNorm\":1.0,\"seed\":1}}")
                        .getAsJsonObject();
        o.add("network", SpecJson.toJson(spec));
        return withThreads(o, threads);
    }

    /**
     * Parses a given config, with {@code options.threads} bounded to the job's share.
     *
     * @throws InvalidJobException naming the field
     */
    public static JobConfig parse(String json, int threads) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new InvalidJobException("config: not a JSON object: " + e.getMessage(), e);
        }
        return withThreads(o, threads);
    }

    private static JobConfig withThreads(JsonObject o, int threads) {
        JsonObject options =
                o.has("options") && o.get("options").isJsonObject()
                        ? o.getAsJsonObject("options")
                        : new JsonObject();
        // A job never uses more BPTT workers than the executor grants it.
        if (!options.has("threads")
                || !options.get("threads").isJsonPrimitive()
                || options.get("threads").getAsDouble() > threads) {
            options.addProperty("threads", threads);
        }
        o.add("options", options);
        try {
            return JobConfig.parse(o.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("config: " + e.getMessage(), e);
        }
    }
}
