package org.spikeloop.learn.data;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;
import org.spikeloop.snn.params.Tensor;

/**
 * Loads a {@link Batch} from a NumPy {@code .npz}: {@code x} as [B, T, C] or [T, C] (one sample),
 * and the targets the losses read. Every value must be finite; every target has a per-sample rank
 * and may carry a leading B dimension or be shared by all samples (then it is repeated).
 *
 * <table>
 *   <caption>Known entries</caption>
 *   <tr><th>name</th><th>per-sample shape</th><th>used by</th></tr>
 *   <tr><td>{@code label}</td><td>[] (class index)</td><td>spike_count_ce, readout_ce</td></tr>
 *   <tr><td>{@code mask}</td><td>[T'] (1 inside the trial window, 0 outside)</td><td>readout_ce,
 *       spike_count_ce (optional)</td></tr>
 *   <tr><td>{@code y}</td><td>[T', O]</td><td>readout_mse</td></tr>
 *   <tr><td>{@code target_time}, {@code target_neuron}</td><td>[]</td><td>first_to_spike</td></tr>
 *   <tr><td>{@code v_target}</td><td>[T', N]</td><td>membrane_target</td></tr>
 * </table>
 */
public final class NpzData {
    /** Target name → rank of one sample's target. */
    public static final Map<String, Integer> TARGET_RANKS =
            Map.of(
                    "label", 0,
                    "mask", 1,
                    "y", 2,
                    "target_time", 0,
                    "target_neuron", 0,
                    "v_target", 2);

    private NpzData() {}

    /**
     * Reads and validates a data file.
     *
     * @throws InvalidDataException naming the entry when a value is non-finite, a shape is wrong,
     *     an entry is unknown or missing, or the set is empty
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Batch read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidDataException("--data", "file " + path + " does not exist");
        }
        Map<String, Tensor> raw = new LinkedHashMap<>();
        try (NpzFile.Reader r = NpzFile.read(path)) {
            List<NpzEntry> entries = r.introspect();
            for (NpzEntry e : entries) {
                String name =
                        e.getName().endsWith(".npy")
                                ? e.getName().substring(0, e.getName().length() - 4)
                                : e.getName();
                raw.put(name, toTensor(name, r.get(e.getName(), 1 << 18)));
            }
        } catch (UncheckedIOException e) {
            throw new InvalidDataException(
                    "--data", "cannot be read (" + path + "): " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof InvalidDataException) {
                throw e;
            }
            throw new InvalidDataException(
                    "--data", "is not a readable .npz file (" + path + "): " + e.getMessage());
        }
        return of(raw);
    }

    /** Builds and validates a batch from named arrays (as {@link #read} does). */
    public static Batch of(Map<String, Tensor> arrays) {
        Tensor x = arrays.get("x");
        if (x == null) {
            throw new InvalidDataException("x", "is missing (need [B, T, C] or [T, C] inputs)");
        }
        for (String name : arrays.keySet()) {
            if (!name.equals("x") && !TARGET_RANKS.containsKey(name)) {
                throw new InvalidDataException(
                        name, "is not a known data entry; known: x, " + TARGET_RANKS.keySet());
            }
        }
        int b;
        int t;
        int c;
        if (x.rank() == 3) {
            b = x.dim(0);
            t = x.dim(1);
            c = x.dim(2);
        } else if (x.rank() == 2) {
            b = 1;
            t = x.dim(0);
            c = x.dim(1);
        } else {
            throw new InvalidDataException(
                    "x", "must be [B, T, C] or [T, C], got shape " + Arrays.toString(x.shape()));
        }
        if (b == 0 || t == 0 || c == 0) {
            throw new InvalidDataException(
                    "x",
                    "is empty: shape " + Arrays.toString(x.shape()) + " (dataset has no data)");
        }
        requireFinite("x", x);
        Map<String, Tensor> targets = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            if (e.getKey().equals("x")) {
                continue;
            }
            Tensor tt = e.getValue();
            requireFinite(e.getKey(), tt);
            int rank = TARGET_RANKS.get(e.getKey());
            if (tt.rank() == rank + 1 && tt.dim(0) == b) {
                targets.put(e.getKey(), tt);
            } else if (tt.rank() == rank) {
                targets.put(e.getKey(), repeat(tt, b));
            } else if (rank == 0 && tt.rank() == 0) {
                targets.put(e.getKey(), repeat(tt, b));
            } else {
                throw new InvalidDataException(
                        e.getKey(),
                        "has shape "
                                + Arrays.toString(tt.shape())
                                + "; expected a leading dimension of "
                                + b
                                + " (samples in x) and "
                                + rank
                                + " more dimension(s), or the per-sample shape alone");
            }
        }
        return new Batch(x.data(), b, t, c, targets);
    }

    private static Tensor repeat(Tensor t, int b) {
        int per = t.size();
        double[] d = new double[per * b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(t.data(), 0, d, i * per, per);
        }
        int[] shape = new int[t.rank() + 1];
        shape[0] = b;
        for (int i = 0; i < t.rank(); i++) {
            shape[i + 1] = t.dim(i);
        }
        return new Tensor(shape, d);
    }

    private static void requireFinite(String name, Tensor t) {
        int bad = t.firstNonFinite();
        if (bad >= 0) {
            throw new InvalidDataException(
                    name,
                    "has a non-finite value "
                            + t.data()[bad]
                            + " at index "
                            + Arrays.toString(unravel(bad, t.shape())));
        }
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    private static Tensor toTensor(String name, NpyArray a) {
        int[] shape = a.getShape();
        Object data = a.getData();
        double[] d;
        if (data instanceof double[]) {
            d = (double[]) data;
        } else if (data instanceof float[]) {
            float[] f = (float[]) data;
            d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
        } else if (data instanceof int[]) {
            d = Arrays.stream((int[]) data).asDoubleStream().toArray();
        } else if (data instanceof long[]) {
            d = Arrays.stream((long[]) data).asDoubleStream().toArray();
        } else if (data instanceof boolean[]) {
            boolean[] z = (boolean[]) data;
            d = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                d[i] = z[i] ? 1.0 : 0.0;
            }
        } else if (data instanceof byte[]) {
            byte[] z = (byte[]) data;
            d = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                d[i] = z[i];
            }
        } else if (data instanceof short[]) {
            short[] z = (short[]) data;
            d = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                d[i] = z[i];
            }
        } else {
            throw new InvalidDataException(
                    name, "has an unsupported dtype (" + data.getClass().getSimpleName() + ")");
        }
        if (shape.length == 0) {
            shape = new int[] {};
        }
        return new Tensor(shape, d);
    }
}
