package org.spikeloop.snn.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.SpecJson;

/**
 * Converts checkpoints to and from NumPy {@code .npz} archives, so Python users read and write
 * weights with {@code np.load}/{@code np.savez}: one array per parameter, named as in {@link
 * org.spikeloop.snn.params.ParameterNames}, shaped as the architecture needs (row-major), plus the
 * spec as UTF-8 JSON bytes in {@value #SPEC_ENTRY} (documented in {@code docs/checkpoints.md}).
 * Control-plane class: allocates and does file I/O.
 */
public final class NpzInterchange {
    /** The npz entry holding the SpecJson text as a 1-D array of UTF-8 bytes. */
    public static final String SPEC_ENTRY = "__spec_json__";

    /** Bytes the npz reader pulls per chunk; any array size works. */
    private static final int READ_CHUNK_BYTES = 1 << 20;

    private NpzInterchange() {}

    /**
     * What an npz archive holds.
     *
     * @param specJson the text of {@value #SPEC_ENTRY}, or null if the archive has none
     * @param tensors every other entry, widened to float64, in archive order
     */
    public record Contents(String specJson, Map<String, Tensor> tensors) {}

    /**
     * Writes {@code checkpoint}'s parameters as float64 arrays and its spec as {@value #SPEC_ENTRY}
     * to {@code npz} (replacing it atomically), and the spec JSON to {@link #specSibling(Path)}.
     *
     * @throws CheckpointException naming the file on I/O failure
     */
    public static void export(Checkpoint checkpoint, Path npz) throws CheckpointException {
        String specJson = SpecJson.write(checkpoint.spec());
        Path target = npz.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
        try {
            try (NpzFile.Writer w = NpzFile.write(tmp, false)) {
                for (Map.Entry<String, Tensor> e : checkpoint.params().asMap().entrySet()) {
                    w.write(e.getKey(), e.getValue().data(), e.getValue().shape());
                }
                byte[] spec = specJson.getBytes(StandardCharsets.UTF_8);
                w.write(SPEC_ENTRY, spec, new int[] {spec.length});
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(specSibling(npz), specJson + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            CheckpointException failure =
                    new CheckpointException(npz + ": cannot write npz: " + e.getMessage(), e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** OUT.npz → OUT.spec.json (or NAME → NAME.spec.json when it does not end in .npz). */
    public static Path specSibling(Path npz) {
        String name = npz.getFileName().toString();
        String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
        return npz.resolveSibling(stem + ".spec.json");
    }

    /**
     * Reads an npz archive: float32 and float64 arrays become tensors, {@value #SPEC_ENTRY} (uint8
     * or int8 bytes) becomes the spec text.
     *
     * @throws CheckpointException when the file is missing or not an npz, or an entry has another
     *     dtype, is 0-d, or is stored in Fortran order (the message names the entry)
     */
    public static Contents read(Path npz) throws CheckpointException {
        if (!Files.isRegularFile(npz)) {
            throw new CheckpointException(npz + ": no such npz file");
        }
        String specJson = null;
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        try (NpzFile.Reader r = NpzFile.read(npz)) {
            for (NpzEntry entry : r.introspect()) {
                String name = entry.getName();
                NpyArray a = r.get(name, READ_CHUNK_BYTES);
                Object data = a.getData();
                if (name.equals(SPEC_ENTRY)) {
                    if (!(data instanceof byte[] bytes)) {
                        throw new CheckpointException(
                                npz
                                        + ": entry "
                                        + SPEC_ENTRY
                                        + " must be uint8 bytes of the spec JSON, got "
                                        + dtypeName(data));
                    }
                    specJson = new String(bytes, StandardCharsets.UTF_8);
                    continue;
                }
                int[] shape = a.getShape();
                if (shape.length == 0) {
                    throw new CheckpointException(
                            npz + ": entry " + name + " is 0-d; parameters are arrays");
                }
                double[] values;
                if (data instanceof double[] d) {
                    values = d;
                } else if (data instanceof float[] f) {
                    values = new double[f.length];
                    for (int i = 0; i < f.length; i++) {
                        values[i] = f[i];
                    }
                } else {
                    throw new CheckpointException(
                            npz
                                    + ": entry "
                                    + name
                                    + " has dtype "
                                    + dtypeName(data)
                                    + "; parameters must be float32 or float64");
                }
                if (values.length != sizeOf(shape)) {
                    throw new CheckpointException(
                            npz
                                    + ": entry "
                                    + name
                                    + " holds "
                                    + values.length
                                    + " values for shape "
                                    + Arrays.toString(shape));
                }
                tensors.put(name, new Tensor(shape, values));
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (Exception e) {
            // The npz library (Kotlin) throws undeclared IOExceptions (bad zip) and runtime
            // exceptions (Fortran order, 0-d arrays); their text is the useful part.
            throw new CheckpointException(
                    npz
                            + ": cannot read as npz: "
                            + e.getMessage()
                            + " (write C-ordered arrays with np.savez)",
                    e);
        }
        return new Contents(specJson, tensors);
    }

    private static long sizeOf(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    private static String dtypeName(Object data) {
        if (data == null) {
            return "unknown";
        }
        String t =
                data.getClass().getComponentType() == null
                        ? data.getClass().getSimpleName()
                        : data.getClass().getComponentType().getName();
        switch (t) {
            case "byte":
                return "int8/uint8";
            case "short":
                return "int16";
            case "int":
                return "int32";
            case "long":
                return "int64";
            case "boolean":
                return "bool";
            case "float":
                return "float32";
            case "double":
                return "float64";
            default:
                return t;
        }
    }
}
