package org.spikeloop.adapters.eegfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spikeloop.adapters.venv.RepositoryRoots;

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
    public static final String ENV_HOME = RepositoryRoots.ENV_HOME;
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
        return new VenvPython(
                System.getenv(), Path.of(""), RepositoryRoots.codeLocationOf(VenvPython.class));
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
        return RepositoryRoots.candidates(env, workingDir, extraRoots);
    }
}
