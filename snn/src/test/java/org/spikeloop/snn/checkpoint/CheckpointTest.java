package org.spikeloop.snn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.CheckpointFormat.RawTensor;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class CheckpointTest {
    @TempDir Path dir;

    @Test
    void shouldRoundTripSpecParamsAndProvenance() throws Exception {
        Checkpoint c = Fixtures.small();
        Path file = dir.resolve("a.ckpt");
        c.write(file);

        Checkpoint back = Checkpoint.read(file);

        assertThat(back.spec()).isEqualTo(c.spec());
        assertThat(back.provenance()).isEqualTo(Fixtures.PROVENANCE);
        assertThat(back.contentId()).isEqualTo(c.contentId()).hasSize(64);
        assertThat(back.storage()).isEqualTo(ValueType.FLOAT64);
        assertSameValues(back.params(), c.params());
        assertSameValues(back.params(), Fixtures.params(c.spec(), 7));
    }

    @Test
    void shouldStoreFloat32ValuesRoundedOnceAndReadThemBackExactly() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        NetworkParams p = Fixtures.params(spec, 3);
        Checkpoint c = Checkpoint.create(spec, p, Fixtures.PROVENANCE, ValueType.FLOAT32);
        Path file = dir.resolve("f32.ckpt");
        c.write(file);

        Checkpoint back = Checkpoint.read(file);

        assertThat(back.storage()).isEqualTo(ValueType.FLOAT32);
        assertSameValues(back.params(), c.params());
        double[] original = p.get("layer0.w_in").data();
        double[] stored = back.params().get("layer0.w_in").data();
        for (int i = 0; i < original.length; i++) {
            assertThat(stored[i]).isEqualTo((double) (float) original[i]);
        }
        assertThat(Files.size(file))
                .isLessThan(Checkpoint.create(spec, p, Fixtures.PROVENANCE).toBytes().length);
    }

    @Test
    void shouldKeepTheContentIdWhenOnlyTheProvenanceChanges() throws Exception {
        Checkpoint c = Fixtures.small();
        Checkpoint renamed = c.withProvenance(Provenance.now("someone else", "copy"));

        assertThat(renamed.contentId()).isEqualTo(c.contentId());
        assertThat(
                        Checkpoint.create(
                                        c.spec(), Fixtures.params(c.spec(), 8), Fixtures.PROVENANCE)
                                .contentId())
                .isNotEqualTo(c.contentId());
    }

    @Test
    void shouldReturnACopyOfTheParameters() throws Exception {
        Checkpoint c = Fixtures.small();
        c.params().get("layer0.bias").data()[0] = 42.0;

        assertThat(c.params().get("layer0.bias").data()[0]).isEqualTo(0.0);
    }

    @Test
    void shouldRejectParametersThatDoNotFitTheSpecOnCreate() {
        NetworkSpec spec = Fixtures.smallSpec();
        Map<String, Tensor> other =
                Fixtures.params(NetworkSpec.recurrent(2, 5, 2, NeuronSpec.lif()), 1).asMap();

        assertThatThrownBy(
                        () ->
                                Checkpoint.create(
                                        spec,
                                        NetworkParams.of(
                                                NetworkSpec.recurrent(2, 5, 2, NeuronSpec.lif()),
                                                other),
                                        Fixtures.PROVENANCE))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("do not match the architecture")
                .hasMessageContaining("conv.weight is missing");
    }

    @Test
    void shouldDetectAFlippedByteAtEveryOffset() throws Exception {
        byte[] good = Fixtures.small().toBytes();
        for (int offset = 0; offset < good.length; offset++) {
            byte[] bad = good.clone();
            bad[offset] ^= (byte) 0x5A;
            String expected;
            if (offset < 8) {
                expected = "bad magic";
            } else if (offset < 12) {
                expected = "unsupported checkpoint format version";
            } else if (offset < 20) {
                // The declared length moves up or down: truncated or trailing bytes.
                expected = "(truncated at byte \\d+|\\d+ unexpected bytes after)";
            } else {
                expected = "checksum mismatch";
            }
            final int at = offset;
            assertThatThrownBy(() -> Checkpoint.decode(bad, "x.ckpt"))
                    .as("byte flipped at offset %d", at)
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageFindingMatch(expected);
        }
    }

    @Test
    void shouldReportTheTruncationOffsetForEveryPrefix() throws Exception {
        byte[] good = Fixtures.small().toBytes();
        for (int n = 0; n < good.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(good, n);
            assertThatThrownBy(() -> Checkpoint.decode(prefix, "x.ckpt"))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("x.ckpt: truncated at byte " + n + " ");
        }
        assertThat(Checkpoint.decode(good, "x.ckpt").contentId())
                .isEqualTo(Fixtures.small().contentId());
    }

    @Test
    void shouldRejectAppendedBytes() throws Exception {
        byte[] good = Fixtures.small().toBytes();
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);

        assertThatThrownBy(() -> Checkpoint.decode(longer, "x.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(
                        "3 unexpected bytes after the declared end at byte " + good.length);
    }

    @Test
    void shouldRejectAFileThatIsNotACheckpoint() throws Exception {
        Path file = dir.resolve("weights.npz");
        Files.writeString(file, "PK\u0003\u0004 definitely a zip");

        assertThatThrownBy(() -> Checkpoint.read(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(
                        "bad magic (not a Spikeloop checkpoint): starts with 50 4b 03 04");
    }

    @Test
    void shouldRejectAnUnsupportedVersionEvenWithAValidChecksum() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        byte[] v2 = Fixtures.assemble(2, spec, raw(Fixtures.params(spec, 1)));

        assertThatThrownBy(() -> Checkpoint.decode(v2, "new.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "new.ckpt: unsupported checkpoint format version 2 (this build reads version 1)");
    }

    @Test
    void shouldRejectTensorShapesThatDoNotMatchTheArchitecture() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        List<RawTensor> tensors = raw(Fixtures.params(spec, 1));
        tensors.set(
                tensors.indexOf(find(tensors, "layer0.w_in")),
                new RawTensor("layer0.w_in", new int[] {3, 4}, ValueType.FLOAT64, new double[12]));
        byte[] file = Fixtures.assemble(1, spec, tensors);

        assertThatThrownBy(() -> Checkpoint.decode(file, "m.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "m.ckpt: tensors do not match the architecture: parameter layer0.w_in"
                                + " has shape [3, 4], architecture needs [4, 3]");
    }

    @Test
    void shouldRejectAMissingTensor() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        List<RawTensor> tensors = raw(Fixtures.params(spec, 1));
        tensors.remove(find(tensors, "readout.threshold"));

        assertThatThrownBy(() -> Checkpoint.decode(Fixtures.assemble(1, spec, tensors), "m.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("parameter readout.threshold is missing");
    }

    @Test
    void shouldRejectANonFiniteValue() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        List<RawTensor> tensors = raw(Fixtures.params(spec, 1));
        find(tensors, "layer1.bias").values()[2] = Double.POSITIVE_INFINITY;

        assertThatThrownBy(() -> Checkpoint.decode(Fixtures.assemble(1, spec, tensors), "n.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "n.ckpt: tensor layer1.bias has a non-finite value (Infinity) at flat index 2");
    }

    @Test
    void shouldRejectAContentIdThatDoesNotMatchThePayload() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        byte[] payload = CheckpointFormat.encodePayload(raw(Fixtures.params(spec, 1)));
        byte[] file =
                CheckpointFormat.encodeFile(1, Fixtures.header(spec, "f".repeat(64)), payload);

        assertThatThrownBy(() -> Checkpoint.decode(file, "c.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("content id mismatch: header says " + "f".repeat(64));
    }

    @Test
    void shouldRejectMixedValueTypes() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        List<RawTensor> tensors = raw(Fixtures.params(spec, 1));
        RawTensor bias = find(tensors, "layer0.bias");
        tensors.set(
                tensors.indexOf(bias),
                new RawTensor(bias.name(), bias.shape(), ValueType.FLOAT32, bias.values()));

        assertThatThrownBy(() -> Checkpoint.decode(Fixtures.assemble(1, spec, tensors), "t.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(
                        "tensor layer0.bias is float32 but earlier tensors are float64");
    }

    @Test
    void shouldRejectAnInvalidSpecInTheHeader() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        byte[] payload = CheckpointFormat.encodePayload(raw(Fixtures.params(spec, 1)));
        String header =
                new String(Fixtures.header(spec, CheckpointFormat.sha256Hex(payload)))
                        .replace("\"tauMemMs\":20.0", "\"tauMemMs\":-1.0");
        byte[] file = CheckpointFormat.encodeFile(1, header.getBytes(), payload);

        assertThatThrownBy(() -> Checkpoint.decode(file, "s.ckpt"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(
                        "s.ckpt: invalid spec: conv.neuron.tauMemMs must be finite and > 0");
    }

    @Test
    void shouldRejectACheckpointWhoseArchitectureDiffersFromTheExpectedOne() throws Exception {
        Path file = dir.resolve("a.ckpt");
        Fixtures.small().write(file);
        NetworkSpec s = Fixtures.smallSpec();
        List<LayerSpec> layers = new ArrayList<>(s.layers());
        layers.set(0, new LayerSpec(4, true, NeuronSpec.alif().withMembrane(30.0, 1.0)));
        NetworkSpec expected = new NetworkSpec(s.dtMs(), s.inputs(), s.conv(), layers, s.readout());

        assertThat(Checkpoint.read(file, s).spec()).isEqualTo(s);
        assertThatThrownBy(() -> Checkpoint.read(file, expected))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(
                        "architecture does not match the expected one at"
                                + " layers[0].neuron.tauMemMs: 20.0 vs 30.0");
    }

    @Test
    void shouldLeaveAnExistingHolderUnchangedWhenLoadingFails() throws Exception {
        NetworkSpec spec = Fixtures.smallSpec();
        NetworkParams holder = Fixtures.params(spec, 99);
        NetworkParams before = holder.copy();
        Path good = dir.resolve("good.ckpt");
        Fixtures.small().write(good);
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 1;
        Path corrupted = dir.resolve("corrupted.ckpt");
        Files.write(corrupted, bytes);
        Path other = dir.resolve("other.ckpt");
        NetworkSpec otherSpec = NetworkSpec.recurrent(2, 4, 2, NeuronSpec.lif());
        Checkpoint.create(otherSpec, Fixtures.params(otherSpec, 1), Fixtures.PROVENANCE)
                .write(other);

        assertThatThrownBy(() -> Checkpoint.read(corrupted).copyParamsInto(holder))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("checksum mismatch");
        assertSameValues(holder, before);
        assertThatThrownBy(() -> Checkpoint.read(other).copyParamsInto(holder))
                .isInstanceOf(CheckpointException.class)
                .hasMessageEndingWith("parameter layer0.w_in has shape [4, 2], target has [4, 3]");
        assertSameValues(holder, before);

        Checkpoint.read(good).copyParamsInto(holder);
        assertSameValues(holder, Fixtures.params(spec, 7));
    }

    @Test
    void shouldReplaceAnExistingFileAndLeaveNoTemporaryFile() throws Exception {
        Path file = dir.resolve("model.ckpt");
        Files.writeString(file, "old contents");
        Checkpoint c = Fixtures.small();

        c.write(file);

        assertThat(Files.readAllBytes(file)).isEqualTo(c.toBytes());
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    void shouldLeaveTheTargetAndNoTemporaryFileWhenTheWriteFails() throws Exception {
        Path target = dir.resolve("busy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");

        assertThatThrownBy(() -> Fixtures.small().write(target))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("cannot write checkpoint");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(target);
        }
        assertThat(Files.readString(target.resolve("keep"))).isEqualTo("x");
    }

    @Test
    void shouldNameAMissingFile() {
        Path missing = dir.resolve("nope.ckpt");

        assertThatThrownBy(() -> Checkpoint.read(missing))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(missing + ": no such checkpoint file");
    }

    static List<RawTensor> raw(NetworkParams p) {
        List<RawTensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            out.add(
                    new RawTensor(
                            e.getKey(),
                            e.getValue().shape(),
                            ValueType.FLOAT64,
                            e.getValue().data().clone()));
        }
        return out;
    }

    static RawTensor find(List<RawTensor> tensors, String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static void assertSameValues(NetworkParams actual, NetworkParams expected) {
        assertThat(actual.names()).containsExactlyElementsOf(expected.names());
        for (String name : expected.names()) {
            assertThat(actual.get(name).shape()).as(name).isEqualTo(expected.get(name).shape());
            assertThat(actual.get(name).data()).as(name).isEqualTo(expected.get(name).data());
        }
    }
}
