package org.spikeloop.adapters.lsl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.spikeloop.adapters.venv.RepositoryRoots;

/**
 * Finds liblsl. Order: the explicit path in env {@value #ENV_PATH} or system property {@value
 * #PROP_PATH} (a wrong explicit path is an error, never silently replaced); then the system's
 * library path ({@code jna.library.path}, {@code java.library.path}, the dynamic loader's path);
 * then the {@code liblsl.so} shipped in pylsl inside the project virtualenv ({@value #VENV_GLOB}),
 * under each candidate repository root: {@value #ENV_HOME}, the working directory and its parents,
 * and the directories above the running jar.
 *
 * <p>Pure lookup: the environment, properties, working directory and the system-path probe are
 * injected so tests control them. Control plane only.
 */
public final class LiblslLocator {
    public static final String ENV_PATH = "SPIKELOOP_LIBLSL";
    public static final String PROP_PATH = "spikeloop.liblsl";
    public static final String ENV_HOME = RepositoryRoots.ENV_HOME;
    static final String VENV_GLOB =
            "clients/python/.venv/lib/python3*/site-packages/pylsl/lib/liblsl.so";

    /** Where the library was found: either a file path, or a name the system loader resolves. */
    public record Location(String libraryNameOrPath, String description) {}

    private final Map<String, String> env;
    private final Properties props;
    private final Path workingDir;
    private final List<Path> extraRoots;
    private final Predicate<String> systemLoads;

    /**
     * @param systemLoads probes whether the system loader resolves a library name (e.g. "lsl")
     */
    public LiblslLocator(
            Map<String, String> env,
            Properties props,
            Path workingDir,
            List<Path> extraRoots,
            Predicate<String> systemLoads) {
        this.env = env;
        this.props = props;
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.extraRoots = List.copyOf(extraRoots);
        this.systemLoads = systemLoads;
    }

    /** Locates the library or throws {@link LiblslNotFoundException} naming every place looked. */
    public Location locate() {
        List<String> looked = new ArrayList<>();
        for (String[] explicit :
                new String[][] {
                    {"env " + ENV_PATH, env.get(ENV_PATH)},
                    {"system property " + PROP_PATH, props.getProperty(PROP_PATH)}
                }) {
            String value = explicit[1];
            if (value == null || value.isBlank()) {
                looked.add(explicit[0] + " (not set)");
                continue;
            }
            Path path = Path.of(value);
            if (Files.isRegularFile(path)) {
                return new Location(path.toAbsolutePath().toString(), explicit[0]);
            }
            looked.add(explicit[0] + " = " + value + " (no such file)");
            throw new LiblslNotFoundException(
                    explicit[0] + " names a file that does not exist: " + value, looked);
        }
        for (String name : List.of("lsl", "liblsl.so.2")) {
            if (systemLoads.test(name)) {
                return new Location(name, "system library path");
            }
            looked.add(
                    "system library path for '"
                            + name
                            + "' (jna.library.path="
                            + props.getProperty("jna.library.path", "")
                            + ", java.library.path="
                            + props.getProperty("java.library.path", "")
                            + ", LD_LIBRARY_PATH="
                            + env.getOrDefault("LD_LIBRARY_PATH", "")
                            + ", ld.so cache)");
        }
        for (Path root : candidateRoots()) {
            Optional<Path> found = findInVenv(root);
            if (found.isPresent()) {
                return new Location(found.get().toString(), "pylsl in " + root);
            }
            looked.add(root.resolve(VENV_GLOB).toString());
        }
        throw new LiblslNotFoundException("liblsl not found", looked);
    }

    private Set<Path> candidateRoots() {
        return RepositoryRoots.candidates(env, workingDir, extraRoots);
    }

    private static Optional<Path> findInVenv(Path root) {
        Path lib = root.resolve("clients/python/.venv/lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib, "python3*")) {
            List<Path> hits = new ArrayList<>();
            for (Path python : pythons) {
                Path so = python.resolve("site-packages/pylsl/lib/liblsl.so");
                if (Files.isRegularFile(so)) {
                    hits.add(so);
                }
            }
            // Deterministic choice when several Python versions exist: the highest name.
            return hits.stream().max(Path::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
