package org.spikeloop.snn.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikeloop.snn.checkpoint.CheckpointFormat.RawTensor;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InvalidSpecException;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * A saved network: architecture (with neuron and surrogate hyperparameters), parameters and
 * provenance, in the versioned, checksummed, self-describing file format of {@link
 * CheckpointFormat} (documented in {@code docs/checkpoints.md}).
 *
 * <p>Immutable: {@link #params()} returns a copy, so a checkpoint can be shared between threads.
 * Reading validates everything (magic, version, length, SHA-256 trailer, content id, spec, tensor
 * shapes against the architecture via {@link NetworkParams#of}, finiteness) before returning, so a
 * damaged or mismatched file yields a {@link CheckpointException} and no partial state anywhere.
 * Control-plane class: reads and writes allocate freely and do file I/O; never call it on the
 * decode hot path.
 */
public final class Checkpoint {
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = CheckpointFormat.VERSION;

    static final String FORMAT_NAME = "spikeloop-checkpoint";
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private final NetworkSpec spec;
    private final NetworkParams params;
    private final Provenance provenance;
    private final ValueType storage;
    private final byte[] payload;
    private final String contentId;

    private Checkpoint(
            NetworkSpec spec,
            NetworkParams params,
            Provenance provenance,
            ValueType storage,
            byte[] payload) {
        this.spec = spec;
        this.params = params;
        this.provenance = provenance;
        this.storage = storage;
        this.payload = payload;
        this.contentId = CheckpointFormat.sha256Hex(payload);
    }

    /** {@link #create(NetworkSpec, NetworkParams, Provenance, ValueType)} with float64 storage. */
    public static Checkpoint create(NetworkSpec spec, NetworkParams params, Provenance provenance)
            throws CheckpointException {
        return create(spec, params, provenance, ValueType.FLOAT64);
    }

    /**
     * A checkpoint of {@code params} (deep-copied; rounded to float when {@code storage} is
     * FLOAT32, so that what you hold is what a reader gets).
     *
     * @throws CheckpointException when a parameter is missing, unknown, mis-shaped or non-finite
     *     for {@code spec} (the message names it)
     */
    public static Checkpoint create(
            NetworkSpec spec, NetworkParams params, Provenance provenance, ValueType storage)
            throws CheckpointException {
        if (spec == null || params == null || provenance == null || storage == null) {
            throw new IllegalArgumentException("spec, params, provenance and storage are required");
        }
        NetworkParams own = params.copy();
        if (storage == ValueType.FLOAT32) {
            for (Tensor t : own.asMap().values()) {
                double[] d = t.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) d[i];
                }
            }
        }
        NetworkParams checked = validate(spec, own.asMap(), "parameters");
        List<RawTensor> raw = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : checked.asMap().entrySet()) {
            raw.add(new RawTensor(e.getKey(), e.getValue().shape(), storage, e.getValue().data()));
        }
        return new Checkpoint(
                spec, checked, provenance, storage, CheckpointFormat.encodePayload(raw));
    }

    /**
     * Reads and fully validates a checkpoint file.
     *
     * @throws CheckpointException if the file cannot be read, is not a checkpoint, has another
     *     format version, is truncated or corrupted, or its parameters do not fit its architecture
     */
    public static Checkpoint read(Path path) throws CheckpointException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path + ": no such checkpoint file", e);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, path.toString());
    }

    /**
     * Reads a checkpoint that must have exactly the architecture {@code expected} (for loading into
     * a running decoder built for it).
     *
     * @throws CheckpointException as {@link #read(Path)}, or naming the first field where the
     *     checkpoint's architecture differs from {@code expected}
     */
    public static Checkpoint read(Path path, NetworkSpec expected) throws CheckpointException {
        Checkpoint c = read(path);
        String diff = SpecDiff.firstDifference(c.spec, expected);
        if (diff != null) {
            throw new CheckpointException(
                    path
                            + ": architecture does not match the expected one at "
                            + diff
                            + " (checkpoint vs expected)");
        }
        return c;
    }

    /** Decodes checkpoint bytes; {@code where} names them in messages. */
    static Checkpoint decode(byte[] bytes, String where) throws CheckpointException {
        CheckpointFormat.Decoded d = CheckpointFormat.decode(bytes, where);
        JsonObject header;
        try {
            JsonElement e = JsonParser.parseString(d.headerJson());
            if (!e.isJsonObject()) {
                throw new CheckpointException(where + ": malformed: header is not a JSON object");
            }
            header = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CheckpointException(
                    where + ": malformed: header is not valid JSON: " + e.getMessage(), e);
        }
        String format = optionalString(header, "format", where);
        if (!FORMAT_NAME.equals(format)) {
            throw new CheckpointException(
                    where + ": malformed: header.format is '" + format + "', not " + FORMAT_NAME);
        }
        NetworkSpec spec;
        try {
            JsonElement s = header.get("spec");
            if (s == null || !s.isJsonObject()) {
                throw new CheckpointException(where + ": malformed: header.spec is missing");
            }
            spec = SpecJson.network(s.getAsJsonObject());
        } catch (InvalidSpecException e) {
            throw new CheckpointException(where + ": invalid spec: " + e.getMessage(), e);
        }
        Provenance provenance = provenance(header, where);
        String storedId = optionalString(header, "contentId", where);
        String actualId = CheckpointFormat.sha256Hex(d.payload());
        if (!actualId.equals(storedId)) {
            throw new CheckpointException(
                    where
                            + ": content id mismatch: header says "
                            + storedId
                            + ", payload hashes to "
                            + actualId);
        }
        LinkedHashMap<String, Tensor> named = new LinkedHashMap<>();
        ValueType storage = null;
        for (RawTensor t : d.tensors()) {
            if (named.put(t.name(), new Tensor(t.shape(), t.values())) != null) {
                throw new CheckpointException(
                        where + ": malformed: tensor " + t.name() + " appears twice");
            }
            if (storage != null && storage != t.type()) {
                throw new CheckpointException(
                        where
                                + ": malformed: tensor "
                                + t.name()
                                + " is "
                                + t.type().numpyName()
                                + " but earlier tensors are "
                                + storage.numpyName()
                                + " (one value type per checkpoint)");
            }
            storage = t.type();
        }
        NetworkParams params = validate(spec, named, where + ": tensors");
        return new Checkpoint(
                spec,
                params,
                provenance,
                storage == null ? ValueType.FLOAT64 : storage,
                d.payload());
    }

    /**
     * Writes this checkpoint atomically: to a temporary file in the same directory, fsync, rename
     * over {@code path}, fsync the directory. A reader sees the old file or the new one, never a
     * mixture; on failure the temporary file is removed and {@code path} is untouched.
     *
     * @throws CheckpointException naming the path and the I/O problem
     */
    public void write(Path path) throws CheckpointException {
        try {
            AtomicFiles.write(path, toBytes());
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot write checkpoint: " + e, e);
        }
    }

    /** The whole file's bytes. */
    byte[] toBytes() {
        JsonObject header = new JsonObject();
        header.addProperty("format", FORMAT_NAME);
        header.addProperty("contentId", contentId);
        header.add("spec", SpecJson.toJson(spec));
        JsonObject p = new JsonObject();
        p.addProperty("createdAt", provenance.createdAt().toString());
        p.addProperty("creator", provenance.creator());
        p.addProperty("parentId", provenance.parentId());
        p.addProperty("source", provenance.source());
        p.addProperty("notes", provenance.notes());
        header.add("provenance", p);
        return CheckpointFormat.encodeFile(
                CheckpointFormat.VERSION,
                GSON.toJson(header).getBytes(StandardCharsets.UTF_8),
                payload);
    }

    /**
     * Copies this checkpoint's parameter values into {@code target}, which must hold exactly the
     * same parameter names and shapes. Everything is checked before the first value is copied, so
     * on failure {@code target} is unchanged.
     *
     * @param target parameters to overwrite (modified)
     * @throws CheckpointException naming the first parameter that is missing, extra or mis-shaped
     */
    public void copyParamsInto(NetworkParams target) throws CheckpointException {
        for (String name : params.names()) {
            if (!target.has(name)) {
                throw new CheckpointException(
                        "cannot load checkpoint "
                                + contentId
                                + ": target has no parameter "
                                + name
                                + "; it has "
                                + target.names());
            }
            int[] shape = params.get(name).shape();
            if (!target.get(name).sameShape(shape)) {
                throw new CheckpointException(
                        "cannot load checkpoint "
                                + contentId
                                + ": parameter "
                                + name
                                + " has shape "
                                + Arrays.toString(shape)
                                + ", target has "
                                + Arrays.toString(target.get(name).shape()));
            }
        }
        for (String name : target.names()) {
            if (!params.has(name)) {
                throw new CheckpointException(
                        "cannot load checkpoint "
                                + contentId
                                + ": it has no parameter "
                                + name
                                + " that the target needs");
            }
        }
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            double[] src = e.getValue().data();
            System.arraycopy(src, 0, target.get(e.getKey()).data(), 0, src.length);
        }
    }

    /** The architecture, with neuron and surrogate hyperparameters. */
    public NetworkSpec spec() {
        return spec;
    }

    /** A deep copy of the parameters, in canonical order. */
    public NetworkParams params() {
        return params.copy();
    }

    public Provenance provenance() {
        return provenance;
    }

    /** How the tensor values are stored. */
    public ValueType storage() {
        return storage;
    }

    /** SHA-256 (64 lower-case hex digits) of the payload: identifies the weights. */
    public String contentId() {
        return contentId;
    }

    /** The same architecture and parameters with another provenance (same content id). */
    public Checkpoint withProvenance(Provenance p) {
        return new Checkpoint(spec, params, p, storage, payload);
    }

    private static NetworkParams validate(NetworkSpec spec, Map<String, Tensor> named, String what)
            throws CheckpointException {
        try {
            return NetworkParams.of(spec, named);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(
                    what + " do not match the architecture: " + e.getMessage(), e);
        }
    }

    private static Provenance provenance(JsonObject header, String where)
            throws CheckpointException {
        JsonElement e = header.get("provenance");
        if (e == null || !e.isJsonObject()) {
            throw new CheckpointException(where + ": malformed: header.provenance is missing");
        }
        JsonObject p = e.getAsJsonObject();
        try {
            String created = optionalString(p, "createdAt", where);
            return new Provenance(
                    created == null ? null : Instant.parse(created),
                    optionalString(p, "creator", where),
                    optionalString(p, "parentId", where),
                    optionalString(p, "source", where),
                    optionalString(p, "notes", where));
        } catch (DateTimeParseException | IllegalArgumentException | NullPointerException ex) {
            throw new CheckpointException(
                    where + ": malformed: header.provenance: " + ex.getMessage(), ex);
        }
    }

    private static String optionalString(JsonObject o, String field, String where)
            throws CheckpointException {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new CheckpointException(
                    where + ": malformed: header field " + field + " must be a string, got " + e);
        }
        return e.getAsString();
    }
}
