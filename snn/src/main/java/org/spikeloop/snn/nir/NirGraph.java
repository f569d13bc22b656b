package org.spikeloop.snn.nir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIR graph: named nodes and directed edges between their names (NIR 1.0: identity edges; a cycle
 * through a projection is a recurrent connection). Nested graphs are {@link NirNode}s of type
 * {@code NIRGraph}.
 *
 * @param nodes the nodes by name, in file order
 * @param edges the edges, each {@code [source, target]}
 * @param metadata the graph's metadata: values are {@link String} or {@link NirArray}
 */
public record NirGraph(Map<String, NirNode> nodes, List<Edge> edges, Map<String, Object> metadata) {
    /** The type name of a graph node. */
    public static final String TYPE = "NIRGraph";

    public NirGraph {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        edges = List.copyOf(edges);
        metadata =
                metadata == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (Edge e : edges) {
            for (String end : new String[] {e.source(), e.target()}) {
                if (!nodes.containsKey(end)) {
                    throw new NirException(
                            "edge "
                                    + e
                                    + " names node '"
                                    + end
                                    + "', which the graph does not have");
                }
            }
        }
    }

    /** One directed edge. */
    public record Edge(String source, String target) {
        @Override
        public String toString() {
            return "(" + source + " -> " + target + ")";
        }
    }
}
