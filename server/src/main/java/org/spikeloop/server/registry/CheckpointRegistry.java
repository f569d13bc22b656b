package org.spikeloop.server.registry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.spikeloop.snn.checkpoint.AtomicFiles;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The checkpoint registry (embedded default: a local directory, shareable between processes, e.g. a
 * standalone {@code spikeloop train --registry DIR} and the server):
 *
 * <pre>
 * DIR/registry.lock            exclusive file lock held by every change (and every load)
 * DIR/index.json               listed checkpoints with lineage, and per-session roles
 * DIR/checkpoints/ID.ckpt      one file per content id (docs/checkpoints.md format)
 * DIR/reports/JOB.report.json  job reports (and their PNGs)
 * </pre>
 *
 * <p>Crash consistency: a checkpoint file is written atomically (temporary file, fsync, rename,
 * directory fsync) <em>before</em> the index that lists it, and the index itself is replaced
 * atomically; retention first rewrites the index, then deletes files. So a process killed at any
 * point leaves an index whose every entry names a complete, verified file; leftovers (temporary
 * files, complete but unlisted files) are removed by the next {@link #open} under the lock.
 *
 * <p>Threading: any thread; every method that changes or loads takes {@link RegistryLock}
 * (in-process lock, then the file lock). Control plane only: file I/O, allocation.
 */
public final class CheckpointRegistry {
    static final String INDEX = "index.json";
    static final String LOCK = "registry.lock";
    static final String CHECKPOINTS = "checkpoints";
    static final String REPORTS = "reports";

    private final Path dir;
    private final Path checkpointDir;
    private final Path indexFile;
    private final RegistryLock lock;
    private final Clock clock;

    private CheckpointRegistry(Path dir, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.checkpointDir = this.dir.resolve(CHECKPOINTS);
        this.indexFile = this.dir.resolve(INDEX);
        this.lock = new RegistryLock(this.dir.resolve(LOCK));
        this.clock = clock;
    }

    /** {@link #open(Path, Clock)} with the system UTC clock. */
    public static CheckpointRegistry open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the registry in {@code dir} and recovers from any interrupted
     * writer: removes temporary files and checkpoint files the index does not list.
     *
     * @throws RegistryException when the directory cannot be created or the index is malformed
     */
    public static CheckpointRegistry open(Path dir, Clock clock) {
        CheckpointRegistry r = new CheckpointRegistry(dir, clock);
        r.createDirectories();
        r.recover();
        return r;
    }

    /**
     * Opens the registry in {@code dir} without creating anything: the directory, its lock file and
     * subdirectories appear at the first write. For a one-off job ({@code spikeloop train
     * --registry DIR}), so that a job refused for bad input leaves no registry behind where none
     * was. Reads of a registry that does not exist yet see an empty one.
     *
     * @throws RegistryException when the directory exists and its index is malformed
     */
    public static CheckpointRegistry openLazily(Path dir) {
        CheckpointRegistry r = new CheckpointRegistry(dir, Clock.systemUTC());
        if (Files.isDirectory(r.dir)) {
            r.recover();
        }
        return r;
    }

    private void createDirectories() {
        try {
            Files.createDirectories(checkpointDir);
            Files.createDirectories(reportsDir());
        } catch (IOException e) {
            throw new RegistryException(dir + ": cannot create the registry directory: " + e, e);
        }
    }

    /** Runs a reader under the lock; without it (and without creating) when nothing exists. */
    private <T> T reading(RegistryLock.IoSupplier<T> body) {
        if (Files.isDirectory(dir)) {
            return lock.with(body);
        }
        try {
            return body.get(); // the index is absent: an empty registry
        } catch (IOException e) {
            throw new RegistryException(dir + ": registry I/O failed: " + e.getMessage(), e);
        }
    }

    /** Runs a writer under the lock, creating the registry's directories first. */
    private <T> T writing(RegistryLock.IoSupplier<T> body) {
        createDirectories();
        return lock.with(body);
    }

    /** The registry directory. */
    public Path dir() {
        return dir;
    }

    /** Where job reports go. */
    public Path reportsDir() {
        return dir.resolve(REPORTS);
    }

    /**
     * Removes leftovers of interrupted writers (temporary files; complete checkpoint files that no
     * index entry lists). Safe at any time: every writer holds the lock while it has such files.
     *
     * @return the number of files removed
     */
    public int recover() {
        if (!Files.isDirectory(dir)) {
            return 0; // opened lazily and never written: nothing to recover
        }
        return lock.with(
                () -> {
                    RegistryIndex index = RegistryIndex.read(indexFile);
                    int removed = 0;
                    removed += removeTemporaries(dir);
                    removed += removeTemporaries(checkpointDir);
                    removed += removeTemporaries(reportsDir());
                    if (!Files.isDirectory(checkpointDir)) {
                        return removed;
                    }
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpointDir)) {
                        for (Path f : files) {
                            String name = f.getFileName().toString();
                            String id =
                                    name.endsWith(".ckpt")
                                            ? name.substring(0, name.length() - 5)
                                            : name;
                            if (!index.entries.containsKey(id)) {
                                Files.deleteIfExists(f);
                                removed++;
                            }
                        }
                    }
                    return removed;
                });
    }

    /**
     * Registers {@code checkpoint}: writes its file (if this content id is not stored yet), then
     * lists it in the index. Registering an id that is already listed returns the existing entry.
     *
     * @throws RegistryException on I/O failure (the index is then unchanged)
     */
    public RegistryEntry register(Checkpoint checkpoint, Lineage lineage) {
        String id = checkpoint.contentId();
        return writing(
                () -> {
                    RegistryIndex index = RegistryIndex.read(indexFile);
                    RegistryEntry existing = index.entries.get(id);
                    if (existing != null) {
                        return existing;
                    }
                    Path file = checkpointDir.resolve(id + ".ckpt");
                    try {
                        checkpoint.write(file);
                    } catch (CheckpointException e) {
                        throw new RegistryException(dir + ": " + e.getMessage(), e);
                    }
                    RegistryEntry entry =
                            new RegistryEntry(
                                    id,
                                    CHECKPOINTS + "/" + id + ".ckpt",
                                    Files.size(file),
                                    Instant.now(clock),
                                    lineage);
                    index.entries.put(id, entry);
                    index.write(indexFile);
                    return entry;
                });
    }

    /** Every listed checkpoint, oldest first. */
    public List<RegistryEntry> list() {
        return reading(() -> new ArrayList<>(RegistryIndex.read(indexFile).entries.values()));
    }

    /** The entry of {@code id}, if listed. */
    public Optional<RegistryEntry> find(String id) {
        return reading(() -> Optional.ofNullable(RegistryIndex.read(indexFile).entries.get(id)));
    }

    /**
     * Loads and verifies a listed checkpoint (checksum, content id equals {@code id}).
     *
     * @throws RegistryException when {@code id} is not listed or the file fails verification
     */
    public Checkpoint load(String id) {
        return load(id, null);
    }

    /**
     * {@link #load(String)} requiring the architecture {@code expected} (null: any).
     *
     * @throws RegistryException naming the id and the first problem
     */
    public Checkpoint load(String id, NetworkSpec expected) {
        return reading(
                () -> {
                    RegistryEntry e = RegistryIndex.read(indexFile).entries.get(id);
                    if (e == null) {
                        throw new RegistryException(
                                dir + ": checkpoint " + id + " is not in the registry");
                    }
                    Path file = dir.resolve(e.file());
                    Checkpoint c;
                    try {
                        c =
                                expected == null
                                        ? Checkpoint.read(file)
                                        : Checkpoint.read(file, expected);
                    } catch (CheckpointException ex) {
                        throw new RegistryException(
                                dir + ": checkpoint " + id + ": " + ex.getMessage(), ex);
                    }
                    if (!c.contentId().equals(id)) {
                        throw new RegistryException(
                                dir + ": " + e.file() + " holds content id " + c.contentId());
                    }
                    return c;
                });
    }

    /** The roles of {@code sessionId} (all null when none were set). */
    public SessionRoles roles(String sessionId) {
        return reading(
                () ->
                        RegistryIndex.read(indexFile)
                                .roles
                                .getOrDefault(sessionId, SessionRoles.none()));
    }

    /** Every session's roles. */
    public Map<String, SessionRoles> allRoles() {
        return reading(() -> new LinkedHashMap<>(RegistryIndex.read(indexFile).roles));
    }

    /**
     * Gives {@code role} in {@code sessionId} to the listed checkpoint {@code id}.
     *
     * @return the session's roles after the change
     * @throws RegistryException when {@code id} is not listed
     */
    public SessionRoles setRole(String sessionId, Role role, String id) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("session id is required to set a role");
        }
        return writing(
                () -> {
                    RegistryIndex index = RegistryIndex.read(indexFile);
                    if (!index.entries.containsKey(id)) {
                        throw new RegistryException(
                                dir
                                        + ": cannot make "
                                        + id
                                        + " the "
                                        + role.key()
                                        + " checkpoint of "
                                        + sessionId
                                        + ": it is not in the registry");
                    }
                    SessionRoles next =
                            index.roles.getOrDefault(sessionId, SessionRoles.none()).with(role, id);
                    index.roles.put(sessionId, next);
                    index.write(indexFile);
                    return next;
                });
    }

    /**
     * Applies {@code policy}: unlists, then deletes, every checkpoint that is neither among the
     * newest {@code keepPerSession} of its session nor holding a role in any session.
     *
     * @return the ids removed
     */
    public List<String> applyRetention(RetentionPolicy policy) {
        return writing(
                () -> {
                    RegistryIndex index = RegistryIndex.read(indexFile);
                    Map<String, List<RegistryEntry>> bySession = new LinkedHashMap<>();
                    for (RegistryEntry e : index.entries.values()) {
                        bySession
                                .computeIfAbsent(e.lineage().sessionId(), k -> new ArrayList<>())
                                .add(e);
                    }
                    List<RegistryEntry> doomed = new ArrayList<>();
                    for (List<RegistryEntry> group : bySession.values()) {
                        group.sort(Comparator.comparing(RegistryEntry::registeredAt).reversed());
                        for (int i = policy.keepPerSession(); i < group.size(); i++) {
                            RegistryEntry e = group.get(i);
                            if (!index.holdsRole(e.id())) {
                                doomed.add(e);
                            }
                        }
                    }
                    if (doomed.isEmpty()) {
                        return List.of();
                    }
                    List<String> ids = new ArrayList<>();
                    for (RegistryEntry e : doomed) {
                        index.entries.remove(e.id());
                        ids.add(e.id());
                    }
                    // Unlist first: a crash before the deletes leaves unlisted files, never a
                    // listed file that is gone.
                    index.write(indexFile);
                    for (RegistryEntry e : doomed) {
                        Files.deleteIfExists(dir.resolve(e.file()));
                    }
                    return ids;
                });
    }

    /**
     * Writes a job report file ({@code fileName}: a plain name, no path) atomically into {@link
     * #reportsDir()}.
     *
     * @return the written file
     */
    public Path writeReport(String fileName, byte[] bytes) {
        if (fileName == null || !fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}")) {
            throw new IllegalArgumentException(
                    "report file name must be a plain file name, got '" + fileName + "'");
        }
        Path target = reportsDir().resolve(fileName);
        return writing(
                () -> {
                    AtomicFiles.write(target, bytes);
                    return target;
                });
    }

    private static int removeTemporaries(Path d) throws IOException {
        int n = 0;
        if (!Files.isDirectory(d)) {
            return n;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d, ".*.tmp-*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                n++;
            }
        }
        return n;
    }
}
