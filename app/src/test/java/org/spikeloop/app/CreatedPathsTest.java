package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatedPathsTest {
    @TempDir Path dir;

    @Test
    void shouldDeleteWhatAFailedStartCreatedWithTheAncestorsItCreatedAndNothingElse()
            throws IOException {
        Path existing = Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(existing.resolve("old.ckpt"), "kept");
        Path audit = dir.resolve("logs/2026/audit.log");
        Path registry = existing.resolve("registry");
        CreatedPaths created =
                CreatedPaths.before(audit, null, existing, registry, dir.resolve("recordings"));
        Files.createDirectories(audit.getParent());
        Files.writeString(audit, "");
        Files.createDirectories(registry.resolve("checkpoints"));
        Files.writeString(registry.resolve("registry.lock"), "");
        Files.createDirectories(dir.resolve("recordings"));
        RuntimeException failure = new RuntimeException("bind failed");

        created.removeNew(failure);

        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left).containsExactlyInAnyOrder(dir, existing, existing.resolve("old.ckpt"));
        }
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void shouldLeaveAPathThatWasNeverCreatedAlone() {
        RuntimeException failure = new RuntimeException("refused");

        CreatedPaths.before(dir.resolve("a/b.log")).removeNew(failure);

        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(failure.getSuppressed()).isEmpty();
    }
}
