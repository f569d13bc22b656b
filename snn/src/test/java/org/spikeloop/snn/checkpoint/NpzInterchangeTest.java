package org.spikeloop.snn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.SpecJson;

class NpzInterchangeTest {
    @TempDir Path dir;

    @Test
    void shouldExportEveryParameterAndTheSpecAndReadThemBack() throws Exception {
        Checkpoint c = Fixtures.small();
        Path npz = dir.resolve("w.npz");

        NpzInterchange.export(c, npz);
        NpzInterchange.Contents back = NpzInterchange.read(npz);

        assertThat(back.tensors().keySet()).containsExactlyElementsOf(c.params().names());
        CheckpointTest.assertSameValues(NetworkParams.of(c.spec(), back.tensors()), c.params());
        assertThat(SpecJson.parse(back.specJson())).isEqualTo(c.spec());
        assertThat(Files.readString(dir.resolve("w.spec.json")).strip()).isEqualTo(back.specJson());
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("w.npz", "w.spec.json");
        }
    }

    @Test
    void shouldWidenFloat32ArraysExactly() throws Exception {
        Path npz = dir.resolve("f.npz");
        try (NpzFile.Writer w = NpzFile.write(npz, false)) {
            w.write("layer0.bias", new float[] {0.1f, -2.5f}, new int[] {2});
        }

        Tensor t = NpzInterchange.read(npz).tensors().get("layer0.bias");

        assertThat(t.shape()).containsExactly(2);
        assertThat(t.data()).containsExactly((double) 0.1f, -2.5);
        assertThat(NpzInterchange.read(npz).specJson()).isNull();
    }

    @Test
    void shouldRejectAnIntegerArrayNamingTheEntry() throws Exception {
        Path npz = dir.resolve("i.npz");
        try (NpzFile.Writer w = NpzFile.write(npz, false)) {
            w.write("layer0.w_in", new long[] {1, 2, 3, 4}, new int[] {2, 2});
        }

        assertThatThrownBy(() -> NpzInterchange.read(npz))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        npz
                                + ": entry layer0.w_in has dtype int64; parameters must be float32"
                                + " or float64");
    }

    @Test
    void shouldRejectASpecEntryThatIsNotBytes() throws Exception {
        Path npz = dir.resolve("s.npz");
        try (NpzFile.Writer w = NpzFile.write(npz, false)) {
            w.write(NpzInterchange.SPEC_ENTRY, new double[] {1.0}, new int[] {1});
        }

        assertThatThrownBy(() -> NpzInterchange.read(npz))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(
                        "entry __spec_json__ must be uint8 bytes of the spec JSON, got float64");
    }

    @Test
    void shouldRejectAFileThatIsNotAnNpz() throws Exception {
        Path npz = dir.resolve("text.npz");
        Files.writeString(npz, "not a zip", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> NpzInterchange.read(npz))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(npz + ": cannot read as npz: ");
    }

    @Test
    void shouldRejectAMissingFile() {
        assertThatThrownBy(() -> NpzInterchange.read(dir.resolve("none.npz")))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(dir.resolve("none.npz") + ": no such npz file");
    }

    @Test
    void shouldPutTheSpecBesideTheArchive() {
        assertThat(NpzInterchange.specSibling(Path.of("/a/b/out.npz")))
                .isEqualTo(Path.of("/a/b/out.spec.json"));
        assertThat(NpzInterchange.specSibling(Path.of("weights")))
                .isEqualTo(Path.of("weights.spec.json"));
    }
}
