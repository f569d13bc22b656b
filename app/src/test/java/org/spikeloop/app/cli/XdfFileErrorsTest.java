package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xdf dump} and {@code replay} given a file they cannot use: one line on stderr, exit 2. */
class XdfFileErrorsTest {
    @TempDir Path dir;

    private static void assertOneLine(CliRun r, String line) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(line);
    }

    private Path notXdf() throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello, this is not XDF\n");
        return f;
    }

    @Test
    void shouldRefuseToDumpAFileThatIsNotXdf() throws Exception {
        Path f = notXdf();

        CliRun r = CliRun.of("xdf", "dump", f.toString());

        assertOneLine(
                r, "spikeloop xdf dump: " + f + ": not an XDF file: it does not start with 'XDF:'");
    }

    @Test
    void shouldRefuseToReplayAFileThatIsNotXdf() throws Exception {
        Path f = notXdf();

        CliRun r = CliRun.of("replay", f.toString());

        assertOneLine(
                r, "spikeloop replay: " + f + ": not an XDF file: it does not start with 'XDF:'");
    }

    @Test
    void shouldRefuseToReplayAnEmptyFile() throws Exception {
        Path f = dir.resolve("empty.xdf");
        Files.write(f, new byte[0]);

        CliRun r = CliRun.of("replay", f.toString());

        assertOneLine(
                r, "spikeloop replay: " + f + ": no samples to replay (0 stream(s), 0 bytes)");
    }

    @Test
    void shouldRefuseAReplaySelectionOfAStreamTheFileDoesNotHave() throws Exception {
        Path f = dir.resolve("empty.xdf");
        Files.write(f, new byte[0]);

        CliRun r = CliRun.of("replay", f.toString(), "--only", "eeg");

        assertOneLine(r, "spikeloop replay: --only: no stream named 'eeg' in the file (it has [])");
    }
}
