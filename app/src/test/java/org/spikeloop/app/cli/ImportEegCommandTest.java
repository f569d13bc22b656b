package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's own refusals (one line, exit 2, nothing written). Real GDF/EDF/BDF files go through
 * MNE in the interop suite (clients/python/tests/test_eeg_files.py).
 */
class ImportEegCommandTest {
    @TempDir Path tmp;

    private static void assertOneLineRefusal(CliRun run, String expected) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(expected);
    }

    @Test
    void shouldRefuseAMissingFile() {
        Path out = tmp.resolve("out.xdf");
        Path in = tmp.resolve("missing.gdf");
        assertOneLineRefusal(
                CliRun.of("import", "eeg", in.toString(), "--out", out.toString()),
                "spikeloop import eeg: no such file: " + in);
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldRefuseAFileWhoseExtensionNamesNoEegFormat() throws Exception {
        Path in = Files.writeString(tmp.resolve("rec.xdf"), "x");
        Path out = tmp.resolve("out.xdf");
        assertOneLineRefusal(
                CliRun.of("import", "eeg", in.toString(), "--out", out.toString()),
                "spikeloop import eeg: "
                        + in
                        + ": unsupported extension (expected .gdf, .edf or .bdf)");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldLeaveAnExistingOutputAloneWithoutForce() throws Exception {
        Path in = Files.writeString(tmp.resolve("rec.edf"), "x");
        Path out = Files.writeString(tmp.resolve("out.xdf"), "keep");
        assertOneLineRefusal(
                CliRun.of("import", "eeg", in.toString(), "--out", out.toString()),
                "spikeloop import eeg: " + out + " exists (--force replaces it); nothing written");
        assertThat(Files.readString(out)).isEqualTo("keep");
    }

    @Test
    void shouldRefuseAnOutputInAMissingDirectory() throws Exception {
        Path in = Files.writeString(tmp.resolve("rec.edf"), "x");
        Path out = tmp.resolve("no/such/dir/out.xdf");
        assertOneLineRefusal(
                CliRun.of("import", "eeg", in.toString(), "--out", out.toString()),
                "spikeloop import eeg: --out: no such directory: " + out.getParent());
    }
}
