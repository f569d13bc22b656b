package org.spikeloop.server.registry;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikeloop.snn.checkpoint.AtomicFiles;

/**
 * The registry's {@code index.json}: the listed checkpoints (with lineage) and each session's
 * roles. Read whole and written whole and atomically (temporary file, fsync, rename, directory
 * fsync), so a reader or a process restarting after a crash sees either the previous index or the
 * new one.
 *
 * <p>Written as strict JSON (RFC 8259): a number that is not finite (an open data range's NaN, a
 * NaN score) is written as {@code null}, and Gson's strict writer refuses any other non-finite
 * value rather than emit a bare {@code NaN}. Read leniently, so indexes written before this (with
 * {@code "fromS": NaN}) still load; {@code null} or an absent bound reads as NaN. Any structural
 * problem (cut short, not JSON, a field missing or of the wrong type) is one {@link
 * RegistryException} naming the file.
 *
 * <p>Not thread-safe: {@link CheckpointRegistry} reads, changes and saves it under its lock.
 */
final class RegistryIndex {
    static final String FORMAT = "spikeloop-registry";
    static final int VERSION = 1;
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    final LinkedHashMap<String, RegistryEntry> entries = new LinkedHashMap<>();
    final LinkedHashMap<String, SessionRoles> roles = new LinkedHashMap<>();

    /**
     * Reads {@code file}; an absent file is an empty index.
     *
     * @throws RegistryException naming the file when it is not a complete registry index
     */
    static RegistryIndex read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new RegistryIndex();
        }
        if (text.isBlank()) {
            throw new RegistryException(file + ": malformed index: the file is empty");
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new RegistryException(file + ": malformed index: not a JSON object");
            }
            return parse(file, e.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new RegistryException(
                    file + ": malformed index (cut short or not JSON): " + firstLine(e), e);
        } catch (IllegalStateException
                | UnsupportedOperationException
                | ClassCastException
                | NullPointerException
                | NumberFormatException
                | java.time.format.DateTimeParseException e) {
            // A field missing or of the wrong type: Gson's accessors throw these.
            throw new RegistryException(
                    file + ": malformed index (a field is missing or of the wrong type): " + e, e);
        }
    }

    /** Gson's message without its troubleshooting link (one line for the operator). */
    private static String firstLine(JsonParseException e) {
        String m = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        m = String.valueOf(m);
        int see = m.indexOf("\nSee ");
        return (see >= 0 ? m.substring(0, see) : m).replace('\n', ' ');
    }

    private static RegistryIndex parse(Path file, JsonObject root) {
        RegistryIndex index = new RegistryIndex();
        if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
            throw new RegistryException(file + ": malformed index: format is not " + FORMAT);
        }
        int version = root.get("version").getAsInt();
        if (version != VERSION) {
            throw new RegistryException(
                    file + ": unsupported registry index version " + version + " (reads 1)");
        }
        for (JsonElement el : root.getAsJsonArray("entries")) {
            RegistryEntry entry = entry(el.getAsJsonObject());
            index.entries.put(entry.id(), entry);
        }
        JsonObject sessions = root.getAsJsonObject("sessions");
        for (Map.Entry<String, JsonElement> s : sessions.entrySet()) {
            JsonObject r = s.getValue().getAsJsonObject();
            index.roles.put(
                    s.getKey(),
                    new SessionRoles(
                            str(r, Role.ACTIVE.key()),
                            str(r, Role.REFERENCE.key()),
                            str(r, Role.LAST_GOOD.key())));
        }
        return index;
    }

    /** Writes the index atomically to {@code file}. */
    void write(Path file) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        JsonArray list = new JsonArray();
        for (RegistryEntry e : entries.values()) {
            list.add(json(e));
        }
        root.add("entries", list);
        JsonObject sessions = new JsonObject();
        for (Map.Entry<String, SessionRoles> s : roles.entrySet()) {
            JsonObject r = new JsonObject();
            for (Role role : Role.values()) {
                r.addProperty(role.key(), s.getValue().get(role));
            }
            sessions.add(s.getKey(), r);
        }
        root.add("sessions", sessions);
        AtomicFiles.write(file, GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code id} holds a role in any session. */
    boolean holdsRole(String id) {
        for (SessionRoles r : roles.values()) {
            if (r.holds(id)) {
                return true;
            }
        }
        return false;
    }

    private static JsonObject json(RegistryEntry e) {
        JsonObject o = new JsonObject();
        o.addProperty("id", e.id());
        o.addProperty("file", e.file());
        o.addProperty("bytes", e.bytes());
        o.addProperty("registeredAt", e.registeredAt().toString());
        Lineage l = e.lineage();
        o.addProperty("sessionId", l.sessionId());
        o.addProperty("kind", l.kind());
        o.add("parentId", l.parentId() == null ? JsonNull.INSTANCE : GSON.toJsonTree(l.parentId()));
        o.addProperty("jobId", l.jobId());
        o.addProperty("creator", l.creator());
        o.addProperty("reason", l.reason());
        if (!l.scores().isEmpty()) {
            JsonObject scores = new JsonObject();
            l.scores().forEach((k, v) -> scores.add(k, finiteOrNull(v)));
            o.add("scores", scores);
        }
        JsonObject d = new JsonObject();
        d.add("files", GSON.toJsonTree(l.dataRange().files()));
        d.add("fromS", finiteOrNull(l.dataRange().fromS()));
        d.add("toS", finiteOrNull(l.dataRange().toS()));
        o.add("dataRange", d);
        return o;
    }

    private static RegistryEntry entry(JsonObject o) {
        JsonObject d = o.getAsJsonObject("dataRange");
        List<String> files = new ArrayList<>();
        for (JsonElement f : d.getAsJsonArray("files")) {
            files.add(f.getAsString());
        }
        Lineage l =
                new Lineage(
                        o.get("sessionId").getAsString(),
                        o.get("kind").getAsString(),
                        str(o, "parentId"),
                        o.get("jobId").getAsString(),
                        new DataRange(files, number(d, "fromS"), number(d, "toS")),
                        o.get("creator").getAsString(),
                        // absent in indexes written before lineage had a reason
                        str(o, "reason"),
                        scores(o));
        return new RegistryEntry(
                o.get("id").getAsString(),
                o.get("file").getAsString(),
                o.get("bytes").getAsLong(),
                Instant.parse(o.get("registeredAt").getAsString()),
                l);
    }

    /** A job's scores, or none (absent in indexes written before lineage had scores). */
    private static java.util.Map<String, Double> scores(JsonObject o) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        JsonElement e = o.get("scores");
        if (e != null && e.isJsonObject()) {
            for (var s : e.getAsJsonObject().entrySet()) {
                m.put(
                        s.getKey(),
                        s.getValue().isJsonNull() ? Double.NaN : s.getValue().getAsDouble());
            }
        }
        return m;
    }

    /** A finite number as itself; NaN and ±∞ as JSON null (strict JSON has no NaN). */
    private static JsonElement finiteOrNull(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /** A number, or NaN when null or absent (and a bare NaN of an older index, read leniently). */
    private static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
