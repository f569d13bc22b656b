package org.spikeloop.snn.nir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node of a NIR graph as the file holds it: its type name ({@code Affine}, {@code LIF}, {@code
 * NIRGraph}, …), its numeric fields by name, its nested graph when the type is {@code NIRGraph},
 * and its metadata. No meaning is attached here; {@link NirImport} and {@link NirExport} give it.
 *
 * @param type the NIR type name
 * @param fields numeric fields by name (e.g. {@code weight}, {@code tau}; {@code shape} for
 *     Input/Output), in file order
 * @param graph the nested graph of a {@code NIRGraph} node, else null
 * @param metadata the node's metadata: values are {@link String} or {@link NirArray}
 */
public record NirNode(
        String type, Map<String, NirArray> fields, NirGraph graph, Map<String, Object> metadata) {
    public NirNode {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("a NIR node needs a type");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        metadata =
                metadata == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A node with numeric fields and no metadata. */
    public static NirNode of(String type, Map<String, NirArray> fields) {
        return new NirNode(type, fields, null, Map.of());
    }

    /** A {@code NIRGraph} node holding {@code graph}. */
    public static NirNode subgraph(NirGraph graph) {
        return new NirNode(NirGraph.TYPE, Map.of(), graph, Map.of());
    }

    /** The field {@code name}, or null when the node has none. */
    public NirArray field(String name) {
        return fields.get(name);
    }
}
