package org.spikeloop.snn.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.TreeSet;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/** Names the first field where two architectures differ, for "mismatched spec" messages. */
final class SpecDiff {
    private SpecDiff() {}

    /**
     * @return null when the specs are equal, else {@code "<path>: <actual> vs <expected>"}, e.g.
     *     {@code "layers[0].size: 8 vs 16"}
     */
    static String firstDifference(NetworkSpec actual, NetworkSpec expected) {
        if (actual.equals(expected)) {
            return null;
        }
        String d = diff("", SpecJson.toJson(actual), SpecJson.toJson(expected));
        return d != null ? d : "(network): " + actual + " vs " + expected;
    }

    private static String diff(String path, JsonElement a, JsonElement e) {
        if (a != null && e != null && a.isJsonObject() && e.isJsonObject()) {
            JsonObject ao = a.getAsJsonObject();
            JsonObject eo = e.getAsJsonObject();
            TreeSet<String> keys = new TreeSet<>(ao.keySet());
            keys.addAll(eo.keySet());
            for (String k : keys) {
                String d = diff(path.isEmpty() ? k : path + "." + k, ao.get(k), eo.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a != null && e != null && a.isJsonArray() && e.isJsonArray()) {
            JsonArray aa = a.getAsJsonArray();
            JsonArray ea = e.getAsJsonArray();
            if (aa.size() != ea.size()) {
                return path + " has " + aa.size() + " entries vs " + ea.size();
            }
            for (int i = 0; i < aa.size(); i++) {
                String d = diff(path + "[" + i + "]", aa.get(i), ea.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return Objects.equals(a, e) ? null : path + ": " + a + " vs " + e;
    }
}
