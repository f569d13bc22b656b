package org.spikeloop.adapters.eegfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's process contract: checks made before Python starts, and the helper's exit codes. The
 * helper itself (MNE, units, markers) is tested against real files in the interop suite
 * (clients/python/tests/test_eeg_files.py), where MNE is installed.
 */
class EegFileReaderTest {
    @TempDir Path tmp;

    /**
     * A stand-in interpreter: a shell script that prints {@code line} and exits with {@code code}.
     */
    private EegFileReader readerExiting(int code, String line) throws IOException {
        Path py = tmp.resolve("python-exit-" + code);
        Files.writeString(
                py, "#!/bin/sh\necho 'progress' >&2\necho '" + line + "' >&2\nexit " + code + "\n");
        Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new EegFileReader(
                new VenvPython(Map.of(VenvPython.ENV_PATH, py.toString()), tmp, List.of()));
    }

    private static long tempDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("spikeloop-eeg-")).count();
        }
    }

    @Test
    void shouldRefuseAMissingFileAndAnUnknownExtensionBeforeLookingForPython() throws IOException {
        EegFileReader noPython =
                new EegFileReader(new VenvPython(Map.of(), tmp.resolve("nowhere"), List.of()));
        assertThatThrownBy(() -> noPython.read(tmp.resolve("missing.gdf")))
                .isInstanceOf(EegFileException.class)
                .hasMessage("no such file: " + tmp.resolve("missing.gdf"));
        Path txt = Files.writeString(tmp.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> noPython.read(txt))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("unsupported extension (expected .gdf, .edf or .bdf)");
        assertThatThrownBy(() -> noPython.read(tmp))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void shouldPassOnTheHelpersOneLineForUnreadableFilesAndMissingMne() throws Exception {
        Path edf = Files.writeString(tmp.resolve("rec.edf"), "not an edf");
        long before = tempDirs();
        assertThatThrownBy(() -> readerExiting(2, "cannot read rec.edf as EDF: bad").read(edf))
                .isInstanceOf(EegFileException.class)
                .hasMessage("cannot read rec.edf as EDF: bad");
        assertThatThrownBy(() -> readerExiting(3, "MNE is not installed").read(edf))
                .isInstanceOf(EegFileException.class)
                .hasMessage("MNE is not installed");
        assertThat(tempDirs()).isEqualTo(before);
    }

    @Test
    void shouldNameTheExitCodeOfAHelperThatFailedOtherwise() throws Exception {
        Path gdf = Files.writeString(tmp.resolve("rec.gdf"), "x");
        assertThatThrownBy(() -> readerExiting(1, "Traceback: boom").read(gdf))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("GDF reader")
                .hasMessageContaining("failed with exit code 1: Traceback: boom");
    }
}
