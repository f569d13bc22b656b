package org.spikeloop.snn.nir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NirFileTest {
    @TempDir Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(NirFileTest.class.getResource("/nir/" + name).toURI());
    }

    @Test
    void shouldReadWhatTheReferencePackageWrites() throws Exception {
        NirGraph g = NirFile.read(fixture("nested-rleaky.nir"));

        assertThat(g.nodes()).containsOnlyKeys("input", "fc1", "lif1", "fc2", "li", "output");
        assertThat(g.nodes().get("fc1").type()).isEqualTo("Affine");
        assertThat(g.nodes().get("fc1").field("weight").shape()).containsExactly(2, 3);
        assertThat(g.nodes().get("fc1").field("weight").values())
                .containsExactly(0.5, -1.0, 2.0, 1.5, 0.25, -0.5);
        assertThat(g.nodes().get("input").field("shape").values()).containsExactly(3.0);
        NirGraph inner = g.nodes().get("lif1").graph();
        assertThat(inner.nodes()).containsOnlyKeys("input", "lif", "w_rec", "output");
        assertThat(inner.edges()).contains(new NirGraph.Edge("w_rec", "lif"));
        assertThat(g.edges())
                .containsExactlyInAnyOrder(
                        new NirGraph.Edge("input", "fc1"),
                        new NirGraph.Edge("fc1", "lif1"),
                        new NirGraph.Edge("lif1", "fc2"),
                        new NirGraph.Edge("fc2", "li"),
                        new NirGraph.Edge("li", "output"));
    }

    @Test
    void shouldReadBackWhatItWrites() throws Exception {
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        nodes.put("input", NirNode.of("Input", Map.of("shape", NirArray.vector(2))));
        nodes.put(
                "fc",
                NirNode.of(
                        "Linear",
                        Map.of("weight", NirArray.matrix(1, 2, new double[] {0.1, -7.25}))));
        nodes.put("output", NirNode.of("Output", Map.of("shape", NirArray.vector(1))));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dt", NirArray.scalar(1e-3));
        meta.put("source", "test");
        NirGraph g =
                new NirGraph(
                        nodes,
                        List.of(
                                new NirGraph.Edge("input", "fc"),
                                new NirGraph.Edge("fc", "output")),
                        meta);
        Path f = dir.resolve("g.nir");

        NirFile.write(g, f);
        NirGraph back = NirFile.read(f);

        assertThat(back.nodes().keySet()).containsExactlyInAnyOrder("input", "fc", "output");
        assertThat(back.nodes().get("fc").field("weight"))
                .isEqualTo(NirArray.matrix(1, 2, new double[] {0.1, -7.25}));
        assertThat(back.edges()).containsExactlyInAnyOrderElementsOf(g.edges());
        assertThat(back.metadata()).containsEntry("dt", NirArray.scalar(1e-3));
        assertThat(back.metadata()).containsEntry("source", "test");
        assertThat(Files.list(dir)).containsExactly(f); // no temporary file left
    }

    @Test
    void shouldRefuseAFileThatIsNotHdf5NamingIt() throws Exception {
        Path f = dir.resolve("x.nir");
        Files.writeString(f, "not hdf5");

        assertThatThrownBy(() -> NirFile.read(f))
                .isInstanceOf(NirException.class)
                .hasMessageStartingWith(f + ": cannot read as HDF5");
        assertThatThrownBy(() -> NirFile.read(dir.resolve("missing.nir")))
                .isInstanceOf(NirException.class)
                .hasMessage(dir.resolve("missing.nir") + ": no such NIR file");
    }
}
