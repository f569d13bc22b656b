package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingsDirectoryTest {
    @TempDir Path dir;

    @Test
    void shouldResolveNamesInsideTheDirectory() throws Exception {
        Files.writeString(dir.resolve("a.xdf"), "x");
        assertThat(new RecordingsDirectory(dir).resolve("recordings", List.of("a.xdf")))
                .containsExactly(dir.resolve("a.xdf").toAbsolutePath());
    }

    @Test
    void shouldRefusePathsMissingFilesAndAnEmptyList() {
        RecordingsDirectory d = new RecordingsDirectory(dir);
        assertThatThrownBy(() -> d.resolve("recordings", List.of("../a.xdf")))
                .hasMessageContaining("recordings[0]: a file name (no path)");
        assertThatThrownBy(() -> d.resolve("recordings", List.of("b.xdf")))
                .hasMessageContaining("no recording 'b.xdf'");
        assertThatThrownBy(() -> d.resolve("recordings", List.of()))
                .hasMessageContaining("at least one recording");
    }

    @Test
    void shouldResolveASessionIdToItsRecordingsInTimeOrder() throws Exception {
        for (String f :
                List.of(
                        "s-0a1b-20261206T120000Z.xdf",
                        "s-0a1b-20261206T110000Z.xdf",
                        "s-0a1bc-20261206T100000Z.xdf",
                        "s-0a1b-notes.xdf")) {
            Files.writeString(dir.resolve(f), "x");
        }
        assertThat(new RecordingsDirectory(dir).resolve("recordings", List.of("s-0a1b")))
                .containsExactly(
                        dir.resolve("s-0a1b-20261206T110000Z.xdf").toAbsolutePath(),
                        dir.resolve("s-0a1b-20261206T120000Z.xdf").toAbsolutePath());
        assertThatThrownBy(
                        () -> new RecordingsDirectory(dir).resolve("recordings", List.of("s-ff")))
                .hasMessage(
                        "recordings[0]: no recording of session 's-ff' in " + dir.toAbsolutePath());
    }
}
