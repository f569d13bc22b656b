package org.spikeloop.server.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory API clients name recordings in. Clients give file names only — never a path — so a
 * job cannot read outside it. A session id stands for every recording of that session ({@code
 * <session-id>-<UTC time>.xdf}, {@link org.spikeloop.server.recording.SessionRecording#fileFor}),
 * in time order, so a client that created a session can train on it without listing the directory.
 */
public final class RecordingsDirectory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    /** A session id ({@code s-<hex>}, optionally after a replica id and a dot). */
    private static final Pattern SESSION_ID = Pattern.compile("([A-Za-z0-9_-]+\\.)?s-[0-9a-f]+");

    /** What follows the session id in its recordings' names: {@code -<UTC time>.xdf}. */
    private static final Pattern RECORDING_SUFFIX = Pattern.compile("-[0-9]{8}T[0-9]{6}Z\\.xdf");

    private final Path dir;

    public RecordingsDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Resolves names to files that exist: a file name to that file, a session id to the session's
     * recordings.
     *
     * @throws InvalidJobException naming the field and the bad or missing name
     */
    public List<Path> resolve(String field, List<String> names) {
        if (names.isEmpty()) {
            throw new InvalidJobException(field + ": at least one recording file name is required");
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || !NAME.matcher(n).matches()) {
                throw new InvalidJobException(
                        field + "[" + i + "]: a file name (no path) is required, got '" + n + "'");
            }
            Path f = dir.resolve(n);
            if (!Files.isRegularFile(f) && SESSION_ID.matcher(n).matches()) {
                List<Path> ofSession = recordingsOf(n);
                if (ofSession.isEmpty()) {
                    throw new InvalidJobException(
                            field + "[" + i + "]: no recording of session '" + n + "' in " + dir);
                }
                files.addAll(ofSession);
                continue;
            }
            if (!Files.isRegularFile(f)) {
                throw new InvalidJobException(
                        field + "[" + i + "]: no recording '" + n + "' in " + dir);
            }
            files.add(f);
        }
        return files;
    }

    /** The session's recordings, oldest first (the UTC time in the name sorts as text). */
    private List<Path> recordingsOf(String sessionId) {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(
                            p -> {
                                String file = p.getFileName().toString();
                                return file.startsWith(sessionId)
                                        && RECORDING_SUFFIX
                                                .matcher(file.substring(sessionId.length()))
                                                .matches()
                                        && Files.isRegularFile(p);
                            })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the recordings directory " + dir, e);
        }
    }
}
