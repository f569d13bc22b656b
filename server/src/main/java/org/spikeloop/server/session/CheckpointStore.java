package org.spikeloop.server.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.spikeloop.server.ServerException;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The checkpoint directory a new session's decoder can start from ({@code
 * CreateSession.decoder.checkpoint}) and where the demo keeps its reference checkpoint. Clients
 * name checkpoints by file name only — never a path — so a call cannot read or write outside this
 * directory. Live sessions' snapshots, loads and rollbacks use the checkpoint registry instead
 * ({@code governance.SessionCheckpoints}).
 *
 * <p>Threading: stateless apart from the directory; call off the engine thread (file I/O).
 */
public final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** The file of checkpoint {@code name}. @throws ServerException INVALID_ARGUMENT */
    public Path resolve(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ServerException.invalid(
                    field
                            + ": a checkpoint file name (letters, digits, '.', '_', '-'; no path),"
                            + " got '"
                            + name
                            + "'");
        }
        return dir.resolve(name);
    }

    /**
     * Reads and verifies a checkpoint; with {@code expected} non-null its architecture must match.
     *
     * @throws ServerException NOT_FOUND (no such file) or INVALID_ARGUMENT (corrupt, mismatched)
     */
    public Checkpoint read(String field, String name, NetworkSpec expected) {
        Path file = resolve(field, name);
        if (!Files.isRegularFile(file)) {
            throw ServerException.notFound(field + ": no checkpoint '" + name + "' in " + dir);
        }
        try {
            return expected == null ? Checkpoint.read(file) : Checkpoint.read(file, expected);
        } catch (CheckpointException e) {
            throw ServerException.invalid(field + ": " + e.getMessage());
        }
    }

    /** Writes atomically. @throws ServerException INTERNAL on I/O failure */
    public Path write(String field, String name, Checkpoint checkpoint) {
        Path file = resolve(field, name);
        try {
            Files.createDirectories(dir);
            checkpoint.write(file);
        } catch (IOException | CheckpointException e) {
            throw new ServerException(
                    ServerException.Kind.INTERNAL,
                    field + ": cannot write " + file + ": " + e.getMessage(),
                    e);
        }
        return file;
    }
}
