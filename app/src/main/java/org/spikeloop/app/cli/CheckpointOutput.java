package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import picocli.CommandLine.Option;

/**
 * Where the checkpoint a command makes goes — a file ({@code --out}), a checkpoint registry ({@code
 * --registry}, with lineage, so that a session can start from it by id), or both — and the
 * provenance it records ({@code checkpoint init} and {@code checkpoint import}).
 */
final class CheckpointOutput {
    @Option(
            names = "--out",
            paramLabel = "CK",
            description = "Checkpoint file to write. Default: none (then --registry is required).")
    Path out;

    @Option(
            names = "--registry",
            paramLabel = "DIR",
            description =
                    "Checkpoint registry to register the checkpoint in, with lineage (a server's is"
                            + " <checkpoints-dir>/registry). Default: none.")
    Path registry;

    @Option(
            names = "--creator",
            paramLabel = "NAME",
            description = "Recorded as provenance creator. Default: the OS user.")
    String creator;

    @Option(
            names = "--notes",
            paramLabel = "TEXT",
            defaultValue = "",
            description = "Free-form provenance notes. Default: none.")
    String notes;

    /** {@code --creator}, or the OS user. */
    String creator() {
        if (creator != null) {
            return creator;
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }

    /**
     * Refuses a command line with neither {@code --out} nor {@code --registry}; call before any
     * work.
     */
    void requireDestination() {
        if (out == null && registry == null) {
            throw new IllegalArgumentException("give --out CK, --registry DIR, or both");
        }
    }

    /**
     * Writes {@code c} to {@code --out} and registers it in {@code --registry} (lineage kind {@code
     * kind}, parent from its provenance), printing one line per destination: {@code PATH ID} and
     * {@code registry DIR ID}.
     */
    void save(Checkpoint c, String kind, PrintWriter stdout) throws CheckpointException {
        requireDestination();
        if (out != null) {
            c.write(out);
            stdout.println(out + " " + c.contentId());
        }
        if (registry != null) {
            Lineage lineage =
                    new Lineage(
                            "",
                            kind,
                            c.provenance().parentId(),
                            "",
                            DataRange.none(),
                            creator(),
                            notes);
            RegistryEntry e;
            try {
                e = CheckpointRegistry.open(registry).register(c, lineage);
            } catch (RegistryException x) {
                throw new CheckpointException(x.getMessage(), x);
            }
            stdout.println("registry " + registry + " " + e.id());
        }
        stdout.flush();
    }
}
