package org.spikeloop.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The scratch directories a benchmark makes for its server's recordings and checkpoints. */
final class ScratchDirectory {
    private ScratchDirectory() {}

    /** Deletes {@code dir} and everything below it, deepest first. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
