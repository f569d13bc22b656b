package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.SpecJson;

class CheckpointInitCommandTest {
    static final String SPEC =
            "{\"inputs\": 3, \"layers\": [{\"size\": 5, \"neuron\": {\"model\": \"alif\"}}],"
                    + " \"readout\": {\"size\": 2}}";

    @TempDir Path dir;

    @Test
    void shouldWriteSeededInitializerWeightsWithProvenance() throws Exception {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, SPEC);
        Path ck = dir.resolve("a.ckpt");

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "init",
                        "--spec",
                        spec.toString(),
                        "--seed",
                        "11",
                        "--out",
                        ck.toString(),
                        "--creator",
                        "alice");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Checkpoint c = Checkpoint.read(ck);
        assertThat(run.out()).contains(c.contentId());
        assertThat(c.spec()).isEqualTo(SpecJson.parse(SPEC));
        assertThat(c.provenance().creator()).isEqualTo("alice");
        assertThat(c.provenance().source()).startsWith("init seed=11");
        assertThat(c.params().get("layer0.w_rec").data())
                .isEqualTo(
                        Initializer.initialise(c.spec(), InitSpec.seeded(11))
                                .get("layer0.w_rec")
                                .data());
    }

    @Test
    void shouldFailWithOneLineNamingTheSpecField() throws Exception {
        Path spec = dir.resolve("bad.json");
        Files.writeString(spec, SPEC.replace("\"size\": 5", "\"size\": 0"));
        Path ck = dir.resolve("a.ckpt");

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "init",
                        "--spec",
                        spec.toString(),
                        "--seed",
                        "1",
                        "--out",
                        ck.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("spikeloop checkpoint init: layers[0].size must be >= 1, got 0\n");
        assertThat(ck).doesNotExist();
    }

    @Test
    void shouldPrintTheStackTraceOnlyWhenVerbose() {
        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "init",
                        "--verbose",
                        "--spec",
                        dir.resolve("none.json").toString(),
                        "--seed",
                        "1",
                        "--out",
                        dir.resolve("a.ckpt").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("NoSuchFileException").contains("\tat ");
    }
}
