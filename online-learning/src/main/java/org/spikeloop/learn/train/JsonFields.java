package org.spikeloop.learn.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Set;

/**
 * Reads the fields of one object of a job config ({@link JobConfig}) or of a front-end ({@link
 * FrontEndJson}, which a job config embeds): every error names the field's path, in one wording
 * ({@code "training.epochs must be an integer, got 1.5"}), so the sections of one file report
 * alike.
 *
 * <p>Control plane: called once per config, allocates freely.
 */
final class JsonFields {
    /** The default of {@link #number} that makes the field required. */
    static final double REQUIRED = Double.NaN;

    private JsonFields() {}

    /**
     * @param path the object's path, such as {@code "training"}
     * @throws IllegalArgumentException naming the first field not in {@code known}, and the known
     *     ones
     */
    static void allowOnly(JsonObject o, String path, Set<String> known) {
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(
                        path + "." + k + " is not a known field; known: " + known);
            }
        }
    }

    /**
     * A finite number.
     *
     * @param dflt the value when the field is absent, or {@link #REQUIRED}
     * @throws IllegalArgumentException when the field is missing and required, not a number, or not
     *     finite
     */
    static double number(JsonObject o, String f, double dflt, String path) {
        if (!o.has(f)) {
            if (Double.isNaN(dflt)) {
                throw new IllegalArgumentException(path + "." + f + " is missing");
            }
            return dflt;
        }
        JsonElement e = o.get(f);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(path + "." + f + " must be a number, got " + e);
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(path + "." + f + " must be finite, got " + v);
        }
        return v;
    }

    /**
     * A number that is a whole {@code int}.
     *
     * @throws IllegalArgumentException as {@link #number}, or when the value is not an integer in
     *     {@code int} range
     */
    static int integer(JsonObject o, String f, int dflt, String path) {
        double v = number(o, f, dflt, path);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + "." + f + " must be an integer, got " + v);
        }
        return (int) v;
    }

    /**
     * @throws IllegalArgumentException when the field is present but not {@code true} or {@code
     *     false}
     */
    static boolean bool(JsonObject o, String f, boolean dflt, String path) {
        if (!o.has(f)) {
            return dflt;
        }
        JsonElement e = o.get(f);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException(path + "." + f + " must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }
}
