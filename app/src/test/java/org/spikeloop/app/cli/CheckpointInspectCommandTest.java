package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;

class CheckpointInspectCommandTest {
    @TempDir Path dir;

    private Path init() throws Exception {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, CheckpointInitCommandTest.SPEC);
        Path ck = dir.resolve("a.ckpt");
        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "init",
                        "--spec",
                        spec.toString(),
                        "--seed",
                        "3",
                        "--out",
                        ck.toString(),
                        "--creator",
                        "carol");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return ck;
    }

    @Test
    void shouldPrintArchitectureParametersAndProvenance() throws Exception {
        Path ck = init();

        CliRun run = CliRun.of("checkpoint", "inspect", ck.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("checksum     ok")
                .contains("content id   " + Checkpoint.read(ck).contentId())
                .contains("5 neurons, recurrent; alif tauMem 20.0 ms")
                .contains("layer0.w_rec")
                .contains("[5, 5]")
                .contains("creator    carol");
    }

    @Test
    void shouldPrintOneJsonObjectWithShapesAndNorms() throws Exception {
        Path ck = init();

        CliRun run = CliRun.of("checkpoint", "inspect", ck.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(o.get("checksum").getAsString()).isEqualTo("ok");
        assertThat(o.get("parameterCount").getAsLong())
                .isEqualTo(Checkpoint.read(ck).params().count());
        JsonObject first = o.getAsJsonArray("parameters").get(0).getAsJsonObject();
        assertThat(first.get("name").getAsString()).isEqualTo("layer0.w_in");
        assertThat(first.get("shape").toString()).isEqualTo("[5,3]");
        assertThat(first.get("norm").getAsDouble())
                .isEqualTo(Checkpoint.read(ck).params().get("layer0.w_in").norm());
        assertThat(o.getAsJsonObject("provenance").get("creator").getAsString()).isEqualTo("carol");
    }

    @Test
    void shouldReportAChecksumMismatchWithExitCode2() throws Exception {
        Path ck = init();
        byte[] b = Files.readAllBytes(ck);
        b[b.length - 40] ^= 0x10;
        Files.write(ck, b);

        CliRun run = CliRun.of("checkpoint", "inspect", ck.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("spikeloop checkpoint inspect: " + ck + ": checksum mismatch");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void shouldReportTruncationWithTheOffset() throws Exception {
        Path ck = init();
        byte[] b = Files.readAllBytes(ck);
        Files.write(ck, java.util.Arrays.copyOf(b, 100));

        CliRun run = CliRun.of("checkpoint", "inspect", ck.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains(ck + ": truncated at byte 100 (the file declares " + b.length + ")");
    }
}
