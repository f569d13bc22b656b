package org.spikeloop.adapters.eegfile;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the Python interpreter that has MNE: the explicit path in env {@value #ENV_PATH} (a wrong
 * explicit path is an error, never silently replaced), then the project virtualenv's {@value
 * #VENV_PYTHON} under each candidate repository root: {@value #ENV_HOME}, the working directory and
 * its parents, and the directories above the running jar (the order {@code LiblslLocator} uses for
 * liblsl, which comes from the same virtualenv).
 *
 * <p>Pure lookup: the environment, working directory and extra roots are injected so tests control
 * them. Control plane only.
 */
public final class VenvPython {
    public static final String ENV_PATH = "SPIKELOOP_VENV_PYTHON";
    public static final String ENV_HOME = "SPIKELOOP_HOME";
    static final String VENV_PYTHON = "clients/python/.venv/bin/python";

    private final Map<String, String> env;
    private final Path workingDir;
    private final List<Path> extraRoots;

    public VenvPython(Map<String, String> env, Path workingDir, List<Path> extraRoots) {
        this.env = env;
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.extraRoots = List.copyOf(extraRoots);
    }

    /** The locator for this process: its environment, working directory and jar location. */
    public static VenvPython forThisProcess() {
        return new VenvPython(System.getenv(), Path.of(""), codeLocation());
    }

    /** The interpreter, or an {@link EegFileException} naming every place looked. */
    public Path locate() {
        String explicit = env.get(ENV_PATH);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toAbsolutePath();
            }
            throw new EegFileException(
                    "env " + ENV_PATH + " names no executable file: " + explicit);
        }
        List<String> looked = new ArrayList<>();
        for (Path root : candidateRoots()) {
            Path python = root.resolve(VENV_PYTHON);
            if (Files.isExecutable(python)) {
                return python;
            }
            looked.add(python.toString());
        }
        throw new EegFileException(
                "no Python with MNE found (run clients/python/setup-venv.sh, or set "
                        + ENV_PATH
                        + "); looked in env "
                        + ENV_PATH
                        + " (not set), "
                        + String.join(", ", looked));
    }

    private Set<Path> candidateRoots() {
        Set<Path> roots = new LinkedHashSet<>();
        String home = env.get(ENV_HOME);
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home).toAbsolutePath().normalize());
        }
        for (Path p = workingDir; p != null; p = p.getParent()) {
            roots.add(p);
        }
        for (Path extra : extraRoots) {
            for (Path p = extra.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                roots.add(p);
            }
        }
        return roots;
    }

    /** The running jar (or classes directory): its parents are repository-root candidates. */
    private static List<Path> codeLocation() {
        var source = VenvPython.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return List.of();
        }
        try {
            return List.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException e) {
            // A code source that is no file URI (none in a jar run) gives no root hint; the other
            // candidates still apply.
            return List.of();
        }
    }
}
