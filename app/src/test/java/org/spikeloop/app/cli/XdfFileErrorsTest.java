package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xdf dump} and {@code replay} given a file they cannot use: one line on stderr, exit 2. */
class XdfFileErrorsTest {
    @TempDir Path dir;

    /** Runs the command line with System.err captured (the commands print their line there). */
    private static CliRun run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CliRun r = CliRun.of(args);
            return new CliRun(
                    r.exitCode(), r.out(), r.err() + err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private Path notXdf() throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello, this is not XDF\n");
        return f;
    }

    @Test
    void shouldRefuseToDumpAFileThatIsNotXdf() throws Exception {
        Path f = notXdf();

        CliRun r = run("xdf", "dump", f.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo("xdf dump: " + f + ": not an XDF file: it does not start with 'XDF:'");
    }

    @Test
    void shouldRefuseToDumpAMissingFile() {
        Path f = dir.resolve("absent.xdf");

        CliRun r = run("xdf", "dump", f.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("xdf dump: " + f + ": no such file");
    }

    @Test
    void shouldRefuseToReplayAFileThatIsNotXdf() throws Exception {
        Path f = notXdf();

        CliRun r = run("replay", f.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo("replay: " + f + ": not an XDF file: it does not start with 'XDF:'");
    }

    @Test
    void shouldRefuseToReplayAnEmptyFile() throws Exception {
        Path f = dir.resolve("empty.xdf");
        Files.write(f, new byte[0]);

        CliRun r = run("replay", f.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo("replay: " + f + ": no samples to replay (0 stream(s), 0 bytes)");
    }
}
