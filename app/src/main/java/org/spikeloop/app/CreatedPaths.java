package org.spikeloop.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files and directories a start may create (audit log, recordings, checkpoints, registry),
 * noted before it: after a failed start {@link #removeNew} deletes those that did not exist, so a
 * refused start leaves nothing behind (an empty audit log reads as a server that ran and audited
 * nothing; an empty registry as one that was set up).
 *
 * <p>For each path it keeps the topmost ancestor that did not exist, since creating the path
 * created that ancestor too; whatever lies below it was created by the start that failed.
 */
final class CreatedPaths {
    private final List<Path> absent;

    private CreatedPaths(List<Path> absent) {
        this.absent = absent;
    }

    /** Notes which of {@code paths} (nulls ignored) do not exist yet. */
    static CreatedPaths before(Path... paths) {
        List<Path> absent = new ArrayList<>();
        for (Path p : paths) {
            if (p == null) {
                continue;
            }
            Path top = null;
            for (Path q = p.toAbsolutePath().normalize();
                    q != null && !Files.exists(q, LinkOption.NOFOLLOW_LINKS);
                    q = q.getParent()) {
                top = q;
            }
            if (top != null && absent.stream().noneMatch(top::startsWith)) {
                Path t = top;
                absent.removeIf(a -> a.startsWith(t));
                absent.add(top);
            }
        }
        return new CreatedPaths(absent);
    }

    /**
     * Deletes every noted path that exists now, with what lies below it; a path that cannot be
     * deleted is added to {@code failure} as a suppressed exception (the start's own failure stays
     * the one reported).
     */
    void removeNew(Throwable failure) {
        for (Path top : absent) {
            try (Stream<Path> tree = Files.exists(top) ? Files.walk(top) : Stream.empty()) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
