package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.spec.SpecJson;

class CheckpointImportCommandTest {
    // inputs 2, one feed-forward layer of 2, leaky readout of 1.
    static final String SPEC =
            "{\"inputs\": 2, \"layers\": [{\"size\": 2, \"recurrent\": false}],"
                    + " \"readout\": {\"size\": 1}}";

    @TempDir Path dir;

    private Path npz(String name, boolean withSpec, boolean float32Weights) throws Exception {
        Path npz = dir.resolve(name);
        try (NpzFile.Writer w = NpzFile.write(npz, false)) {
            if (float32Weights) {
                w.write("layer0.w_in", new float[] {0.5f, -1f, 2f, 0.25f}, new int[] {2, 2});
            } else {
                w.write("layer0.w_in", new double[] {0.5, -1, 2, 0.25}, new int[] {2, 2});
            }
            w.write("layer0.bias", new double[] {0.1, 0.2}, new int[] {2});
            w.write("layer0.threshold", new double[] {1.0, 1.5}, new int[] {2});
            w.write("layer0.reset_offset", new double[] {0.0, 0.0}, new int[] {2});
            w.write("readout.w_out", new double[] {3.0, -3.0}, new int[] {1, 2});
            w.write("readout.bias", new double[] {0.0}, new int[] {1});
            if (withSpec) {
                byte[] s = SPEC.getBytes(StandardCharsets.UTF_8);
                w.write("__spec_json__", s, new int[] {s.length});
            }
        }
        return npz;
    }

    @Test
    void shouldImportWithTheEmbeddedSpec() throws Exception {
        Path ck = dir.resolve("a.ckpt");

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "import",
                        "--params",
                        npz("w.npz", true, false).toString(),
                        "--out",
                        ck.toString(),
                        "--creator",
                        "bob",
                        "--notes",
                        "from numpy");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Checkpoint c = Checkpoint.read(ck);
        assertThat(c.spec()).isEqualTo(SpecJson.parse(SPEC));
        assertThat(c.params().get("layer0.w_in").data()).containsExactly(0.5, -1, 2, 0.25);
        assertThat(c.provenance().creator()).isEqualTo("bob");
        assertThat(c.provenance().source()).isEqualTo("import w.npz");
        assertThat(c.provenance().notes()).isEqualTo("from numpy");
    }

    @Test
    void shouldImportFloat32ArraysWithASpecFile() throws Exception {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, SPEC);
        Path ck = dir.resolve("a.ckpt");

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "import",
                        "--params",
                        npz("w.npz", false, true).toString(),
                        "--spec",
                        spec.toString(),
                        "--out",
                        ck.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Checkpoint.read(ck).params().get("layer0.w_in").data())
                .containsExactly(0.5, -1, 2, 0.25);
    }

    @Test
    void shouldAskForASpecWhenTheNpzHasNone() throws Exception {
        Path in = npz("w.npz", false, false);

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "import",
                        "--params",
                        in.toString(),
                        "--out",
                        dir.resolve("a.ckpt").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "spikeloop checkpoint import: "
                                + in
                                + " has no __spec_json__ entry; pass the architecture with --spec"
                                + " SPEC.json\n");
    }

    @Test
    void shouldRejectArraysThatDoNotFitTheSpecAndKeepTheOldCheckpoint() throws Exception {
        Path ck = dir.resolve("a.ckpt");
        Files.writeString(ck, "previous");
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, SPEC.replace("\"inputs\": 2", "\"inputs\": 3"));
        Path in = npz("w.npz", true, false);

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "import",
                        "--params",
                        in.toString(),
                        "--spec",
                        spec.toString(),
                        "--out",
                        ck.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "spikeloop checkpoint import: "
                                + in
                                + " does not match the spec: parameter layer0.w_in has shape [2, 2],"
                                + " architecture needs [2, 3]\n");
        assertThat(Files.readString(ck)).isEqualTo("previous");
    }
}
