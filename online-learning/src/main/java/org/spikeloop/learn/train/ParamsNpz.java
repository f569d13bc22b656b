package org.spikeloop.learn.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * Parameters and gradients as NumPy {@code .npz}: one float64 array per parameter name (entries
 * starting with {@code __}, such as an export's {@code __spec_json__}, are ignored on reading).
 */
public final class ParamsNpz {
    private ParamsNpz() {}

    /**
     * Reads parameters and checks them against {@code spec}.
     *
     * @throws IllegalArgumentException naming the parameter that is missing, unknown, mis-shaped or
     *     non-finite, or the file when it cannot be read
     */
    public static NetworkParams read(Path path, NetworkSpec spec) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--params file " + path + " does not exist");
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        try (NpzFile.Reader r = NpzFile.read(path)) {
            for (NpzEntry e : r.introspect()) {
                String name = e.getName().replaceAll("\\.npy$", "");
                if (name.startsWith("__")) {
                    continue;
                }
                NpyArray a = r.get(e.getName(), 1 << 18);
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
                } else {
                    throw new IllegalArgumentException(
                            "parameter " + name + " must be float64 or float32");
                }
                named.put(name, new Tensor(a.getShape(), d));
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--params " + path + " is not a readable .npz: " + e.getMessage(), e);
        }
        return NetworkParams.of(spec, named);
    }

    /**
     * Writes named float64 arrays, plus any scalars given (as shape-[1] arrays: the npy writer
     * cannot express 0-d), to {@code path}.
     */
    public static void write(Path path, Map<String, Tensor> arrays, Map<String, Double> scalars) {
        try (NpzFile.Writer w = NpzFile.write(path, false)) {
            for (Map.Entry<String, Double> s : scalars.entrySet()) {
                w.write(s.getKey(), new double[] {s.getValue()}, new int[] {1});
            }
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                w.write(e.getKey(), e.getValue().data(), e.getValue().shape());
            }
        }
    }
}
