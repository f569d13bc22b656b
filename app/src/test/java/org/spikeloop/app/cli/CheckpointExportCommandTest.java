package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;

class CheckpointExportCommandTest {
    @TempDir Path dir;

    @Test
    void shouldRoundTripThroughNpzToTheSameContentId() throws Exception {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, CheckpointInitCommandTest.SPEC);
        Path a = dir.resolve("a.ckpt");
        Path npz = dir.resolve("a.npz");
        Path b = dir.resolve("b.ckpt");
        assertThat(
                        CliRun.of(
                                        "checkpoint",
                                        "init",
                                        "--spec",
                                        spec.toString(),
                                        "--seed",
                                        "5",
                                        "--out",
                                        a.toString())
                                .exitCode())
                .isZero();

        CliRun export = CliRun.of("checkpoint", "export", a.toString(), "--out", npz.toString());
        CliRun reimport =
                CliRun.of(
                        "checkpoint", "import", "--params", npz.toString(), "--out", b.toString());

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(reimport.exitCode()).as(reimport.err()).isZero();
        assertThat(dir.resolve("a.spec.json")).exists();
        assertThat(Checkpoint.read(b).contentId()).isEqualTo(Checkpoint.read(a).contentId());
        assertThat(Checkpoint.read(b).spec()).isEqualTo(Checkpoint.read(a).spec());
    }

    @Test
    void shouldFailOnACorruptedCheckpointWithoutWritingAnything() throws Exception {
        Path ck = dir.resolve("bad.ckpt");
        Files.writeString(ck, "garbage");

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "export",
                        ck.toString(),
                        "--out",
                        dir.resolve("o.npz").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("spikeloop checkpoint export: " + ck + ": bad magic");
        assertThat(run.err().lines()).hasSize(1);
        assertThat(dir.resolve("o.npz")).doesNotExist();
        assertThat(dir.resolve("o.spec.json")).doesNotExist();
    }
}
