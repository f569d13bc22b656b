package org.spikeloop.adapters.venv;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directories that may be the Spikeloop repository, whose {@code clients/python/.venv} holds
 * the project's Python and the liblsl that pylsl ships, in the order they are tried: env {@value
 * #ENV_HOME}, the working directory and its parents, then each extra root (the running jar) and its
 * parents. One order for every lookup, so liblsl and Python always come from the same virtualenv.
 */
public final class RepositoryRoots {
    public static final String ENV_HOME = "SPIKELOOP_HOME";

    private RepositoryRoots() {}

    /** The candidate roots, first match wins; duplicates appear once, at their first place. */
    public static Set<Path> candidates(
            Map<String, String> env, Path workingDir, List<Path> extraRoots) {
        Set<Path> roots = new LinkedHashSet<>();
        String home = env.get(ENV_HOME);
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home).toAbsolutePath().normalize());
        }
        for (Path p = workingDir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            roots.add(p);
        }
        for (Path extra : extraRoots) {
            for (Path p = extra.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                roots.add(p);
            }
        }
        return roots;
    }

    /**
     * Where {@code anchor}'s code was loaded from (the jar or classes directory), as an extra root;
     * empty when the code source is no file (none in a jar run), since the other roots still apply.
     */
    public static List<Path> codeLocationOf(Class<?> anchor) {
        try {
            var source = anchor.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return List.of();
            }
            return List.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return List.of();
        }
    }
}
