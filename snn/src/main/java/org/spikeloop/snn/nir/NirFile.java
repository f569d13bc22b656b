package org.spikeloop.snn.nir;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NIR files: HDF5 as the reference package {@code nir} 1.0 lays them out ({@code
 * nir.write}/{@code nir.read}), through jHDF.
 *
 * <pre>
 * /version                 string, the NIR version the writer follows
 * /node                    the graph: a group with
 *   type                   string "NIRGraph"
 *   nodes/NAME             one group per node: "type" and its fields (datasets), metadata/ (group)
 *   edges                  string array [E, 2], source then target
 *   metadata/              optional; string or numeric datasets
 * </pre>
 *
 * <p>Reading accepts what h5py writes (variable-length strings, gzip-compressed chunked datasets,
 * float32/float64/integer fields, 0-d scalars). Writing uses what jHDF 0.13 writes: fixed-length
 * UTF-8 strings, contiguous uncompressed float64 datasets, int64 for Input/Output {@code shape};
 * {@code nir.read} reads all of them. Writing is atomic (a temporary file in the target directory,
 * then a rename).
 *
 * <p>Threads: none of its own; control plane only (file I/O, allocation).
 */
public final class NirFile {
    /** The NIR version written to {@code /version}: the reference package's layout we follow. */
    public static final String NIR_VERSION = "1.0.8";

    private NirFile() {}

    /**
     * Reads the graph in {@code file}.
     *
     * @throws NirException when the file is missing, not HDF5 or not laid out as NIR (naming the
     *     file and the group)
     */
    public static NirGraph read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NirException(file + ": no such NIR file");
        }
        try (HdfFile h = new HdfFile(file)) {
            Node root = h.getChild("node");
            if (!(root instanceof Group g)) {
                throw new NirException(file + ": not a NIR file (no /node group)");
            }
            NirNode node = readNode(g, file);
            if (node.graph() == null) {
                // nir.write also writes a single node; Spikeloop imports networks only.
                throw new NirException(file + ": /node is a " + node.type() + ", not a NIRGraph");
            }
            return node.graph();
        } catch (HdfException e) {
            throw new NirException(file + ": cannot read as HDF5: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code graph} to {@code file} atomically.
     *
     * @throws IOException when the file cannot be written (nothing is left behind)
     */
    public static void write(NirGraph graph, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            try (WritableHdfFile h = HdfFile.write(tmp)) {
                h.putDataset("version", NIR_VERSION);
                writeGraph(h.putGroup("node"), graph);
            } catch (HdfException e) {
                throw new IOException(file + ": cannot write HDF5: " + e.getMessage(), e);
            }
            try {
                Files.move(
                        tmp,
                        abs,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (NoSuchFileException ignored) {
                // Already moved into place.
            }
        }
    }

    private static NirNode readNode(Group g, Path file) {
        String type = readString(g, "type", file);
        if (NirGraph.TYPE.equals(type)) {
            Node nodesGroup = g.getChild("nodes");
            if (!(nodesGroup instanceof Group ng)) {
                throw new NirException(file + ": " + g.getPath() + " has no nodes group");
            }
            Map<String, NirNode> nodes = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : ng.getChildren().entrySet()) {
                if (e.getValue() instanceof Group child) {
                    nodes.put(e.getKey(), readNode(child, file));
                }
            }
            List<NirGraph.Edge> edges = readEdges(g, file);
            NirGraph graph;
            try {
                graph = new NirGraph(nodes, edges, readMetadata(g, file));
            } catch (NirException e) {
                throw new NirException(file + ": " + g.getPath() + ": " + e.getMessage(), e);
            }
            return new NirNode(type, Map.of(), graph, Map.of());
        }
        Map<String, NirArray> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
            if (e.getValue() instanceof Dataset d && !e.getKey().equals("type")) {
                Object value = readValue(d, file);
                if (value instanceof NirArray a) {
                    fields.put(e.getKey(), a);
                }
            }
        }
        return new NirNode(type, fields, null, readMetadata(g, file));
    }

    private static List<NirGraph.Edge> readEdges(Group g, Path file) {
        Node n = g.getChild("edges");
        if (!(n instanceof Dataset d)) {
            throw new NirException(file + ": " + g.getPath() + " has no edges dataset");
        }
        if (d.getSize() == 0) {
            return List.of();
        }
        Object flat = d.getDataFlat();
        int count = flat.getClass().isArray() ? Array.getLength(flat) : 0;
        if (count % 2 != 0 || !(flat instanceof Object[] strings)) {
            throw new NirException(file + ": " + d.getPath() + " must be a string array [E, 2]");
        }
        List<NirGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < count; i += 2) {
            edges.add(new NirGraph.Edge(text(strings[i]), text(strings[i + 1])));
        }
        return edges;
    }

    private static Map<String, Object> readMetadata(Group g, Path file) {
        Node n = g.getChild("metadata");
        if (!(n instanceof Group m)) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : m.getChildren().entrySet()) {
            if (e.getValue() instanceof Dataset d) {
                out.put(e.getKey(), readValue(d, file));
            }
        }
        return out;
    }

    private static String readString(Group g, String name, Path file) {
        Node n = g.getChild(name);
        if (n instanceof Dataset d && readValue(d, file) instanceof String s) {
            return s;
        }
        throw new NirException(file + ": " + g.getPath() + " has no string dataset '" + name + "'");
    }

    /** A dataset as a {@link String} (string type) or a {@link NirArray} (numeric). */
    private static Object readValue(Dataset d, Path file) {
        Object data = d.isScalar() ? d.getData() : d.getDataFlat();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof Object[] a && a.length == 1 && a[0] instanceof String s) {
            return s;
        }
        if (data instanceof byte[] b && d.getJavaType() == String.class) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        int[] shape = d.isScalar() ? new int[0] : d.getDimensions();
        double[] values;
        if (data instanceof Number x) {
            values = new double[] {x.doubleValue()};
        } else if (data instanceof Boolean x) {
            values = new double[] {x ? 1.0 : 0.0};
        } else if (data != null && data.getClass().isArray() && !(data instanceof Object[])) {
            int len = Array.getLength(data);
            values = new double[len];
            for (int i = 0; i < len; i++) {
                Object v = Array.get(data, i);
                values[i] = v instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) v).doubleValue();
            }
        } else {
            throw new NirException(
                    file
                            + ": "
                            + d.getPath()
                            + " has a type this reader does not take ("
                            + d.getJavaType().getSimpleName()
                            + ")");
        }
        return new NirArray(shape, values);
    }

    private static String text(Object o) {
        return o instanceof byte[] b
                ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(o);
    }

    private static void writeGraph(WritableGroup g, NirGraph graph) {
        g.putDataset("type", NirGraph.TYPE);
        WritableGroup nodes = g.putGroup("nodes");
        for (Map.Entry<String, NirNode> e : graph.nodes().entrySet()) {
            NirNode n = e.getValue();
            WritableGroup ng = nodes.putGroup(e.getKey());
            if (n.graph() != null) {
                writeGraph(ng, n.graph());
            } else {
                ng.putDataset("type", n.type());
                for (Map.Entry<String, NirArray> f : n.fields().entrySet()) {
                    ng.putDataset(f.getKey(), javaArray(f.getKey(), f.getValue()));
                }
                writeMetadata(ng, n.metadata());
            }
        }
        String[][] edges = new String[graph.edges().size()][];
        for (int i = 0; i < edges.length; i++) {
            NirGraph.Edge e = graph.edges().get(i);
            edges[i] = new String[] {e.source(), e.target()};
        }
        g.putDataset("edges", edges);
        writeMetadata(g, graph.metadata());
    }

    private static void writeMetadata(WritableGroup g, Map<String, Object> metadata) {
        if (metadata.isEmpty()) {
            return; // nir.write skips an empty metadata group too
        }
        WritableGroup m = g.putGroup("metadata");
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            Object v = e.getValue();
            m.putDataset(
                    e.getKey(), v instanceof NirArray a ? javaArray(e.getKey(), a) : v.toString());
        }
    }

    /**
     * The Java array jHDF writes for {@code a}: float64 of the array's rank, except Input/Output
     * {@code shape}, which NIR reads as integers (int64).
     */
    private static Object javaArray(String name, NirArray a) {
        int[] shape = a.shape();
        double[] v = a.values();
        if (name.equals("shape")) {
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = Math.round(v[i]);
            }
            return out;
        }
        switch (shape.length) {
            case 0:
                return v[0];
            case 1:
                return v;
            default:
                // jHDF takes nested Java arrays: one level per dimension, rows outermost.
                int rows = shape[0];
                int inner = rows == 0 ? 0 : v.length / rows;
                int[] subShape = Arrays.copyOfRange(shape, 1, shape.length);
                Object out = Array.newInstance(javaArray(name, zeros(subShape)).getClass(), rows);
                for (int r = 0; r < rows; r++) {
                    NirArray row =
                            new NirArray(
                                    subShape, Arrays.copyOfRange(v, r * inner, (r + 1) * inner));
                    Array.set(out, r, javaArray(name, row));
                }
                return out;
        }
    }

    private static NirArray zeros(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new NirArray(shape, new double[n]);
    }
}
