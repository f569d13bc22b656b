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
}
