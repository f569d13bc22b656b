package org.spikeloop.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository this build runs in, found from the working directory (a module, or the root). */
final class RepositoryFiles {
    private RepositoryFiles() {}

    /** The directory holding {@code docs/architecture.md} and the parent pom. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docs/architecture.md"))
                    && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root above " + p);
    }
}
