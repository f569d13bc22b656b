package org.spikeloop.server.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The directory API clients name recordings in. Clients give file names only — never a path — so a
 * job cannot read outside it.
 */
public final class RecordingsDirectory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    private final Path dir;

    public RecordingsDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Resolves names to files that exist.
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
            if (!Files.isRegularFile(f)) {
                throw new InvalidJobException(
                        field + "[" + i + "]: no recording '" + n + "' in " + dir);
            }
            files.add(f);
        }
        return files;
    }
}
