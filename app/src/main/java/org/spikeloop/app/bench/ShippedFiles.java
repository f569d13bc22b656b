package org.spikeloop.app.bench;

import java.nio.file.Path;
import org.spikeloop.adapters.venv.RepositoryRoots;

/**
 * The shipped files a harness uses when its option is not given: {@code <home>/examples/...}, home
 * being {@code SPIKELOOP_HOME} (the launcher sets it to the repository root) or the working
 * directory.
 */
final class ShippedFiles {
    private ShippedFiles() {}

    /** {@code given}, or {@code relative} under the repository root when it is null. */
    static Path orShipped(Path given, String relative) {
        return given != null ? given : home().resolve(relative);
    }

    /** The repository root: {@code SPIKELOOP_HOME}, else the working directory. */
    static Path home() {
        return Path.of(System.getenv().getOrDefault(RepositoryRoots.ENV_HOME, "."));
    }
}
