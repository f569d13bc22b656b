package org.spikeloop.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a server keeps its checkpoints and its sessions' recordings ({@code serve}, {@code demo});
 * the defaults are {@link org.spikeloop.server.config.ServerConfig#defaults()}'s.
 */
final class DirectoryOptions {
    @Option(
            names = "--checkpoints-dir",
            paramLabel = "DIR",
            defaultValue = "checkpoints",
            description =
                    "Checkpoint directory (the registry is its registry/). Default:"
                            + " ${DEFAULT-VALUE}.")
    Path checkpoints;

    @Option(
            names = "--recordings-dir",
            paramLabel = "DIR",
            defaultValue = "recordings",
            description = "Directory of the sessions' XDF recordings. Default: ${DEFAULT-VALUE}.")
    Path recordings;
}
