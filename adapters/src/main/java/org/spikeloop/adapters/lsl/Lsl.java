package org.spikeloop.adapters.lsl;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.spikeloop.adapters.venv.RepositoryRoots;

/**
 * Entry point to liblsl: loads the library once (see {@link LiblslLocator}) and exposes the
 * process-wide functions (clock, version).
 *
 * <p>liblsl reads its configuration (env {@code LSLAPICFG}) when first used. When that variable is
 * unset, the system property {@value #PROP_CONFIG} names a config file that is applied through
 * {@code lsl_set_config_filename} before any other call. Thread-safe; {@link #load()} is cheap
 * after the first call.
 */
public final class Lsl {
    public static final String PROP_CONFIG = "spikeloop.lslapicfg";

    private static volatile LiblslLocator.Location loaded;

    private Lsl() {}

    /**
     * Loads liblsl if not yet loaded; throws {@link LiblslNotFoundException} when it is missing or
     * cannot be loaded.
     */
    public static LiblslLocator.Location load() {
        LiblslLocator.Location location = loaded;
        if (location != null) {
            return location;
        }
        synchronized (Lsl.class) {
            if (loaded == null) {
                LiblslLocator.Location found =
                        new LiblslLocator(
                                        System.getenv(),
                                        System.getProperties(),
                                        Path.of(""),
                                        RepositoryRoots.codeLocationOf(LiblslLocator.class),
                                        Lsl::systemLoads)
                                .locate();
                NativeLibrary library;
                try {
                    library =
                            NativeLibrary.getInstance(
                                    found.libraryNameOrPath(),
                                    Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
                } catch (UnsatisfiedLinkError e) {
                    // A file that is not a loadable liblsl (truncated, other architecture):
                    // as wrong a setting as a missing file, and reported the same way.
                    throw new LiblslNotFoundException(
                            found.description()
                                    + " names "
                                    + found.libraryNameOrPath()
                                    + ", which cannot be loaded: "
                                    + firstReason(e),
                            List.of(found.description() + " = " + found.libraryNameOrPath()));
                }
                LslNative.register(library);
                LslChunkNative.register(library);
                String configFile = System.getProperty(PROP_CONFIG);
                if (System.getenv("LSLAPICFG") == null && configFile != null) {
                    LslNative.lsl_set_config_filename(configFile);
                }
                loaded = found;
            }
            return loaded;
        }
    }

    /** JNA's message starts "Unable to load library 'x':"; the loader's reason is the next line. */
    private static String firstReason(UnsatisfiedLinkError e) {
        String m = String.valueOf(e.getMessage());
        return m.lines().skip(1).findFirst().orElse(m);
    }

    private static boolean systemLoads(String name) {
        try {
            NativeLibrary.getInstance(name);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** liblsl's clock, in seconds; the time base of every LSL time stamp on this machine. */
    public static double localClockS() {
        load();
        return LslNative.lsl_local_clock();
    }

    /** liblsl's version, e.g. 118 for 1.18. */
    public static int libraryVersion() {
        load();
        return LslNative.lsl_library_version();
    }

    /** liblsl's build description (for diagnostics). */
    public static String libraryInfo() {
        load();
        return LslNative.lsl_library_info();
    }
}
