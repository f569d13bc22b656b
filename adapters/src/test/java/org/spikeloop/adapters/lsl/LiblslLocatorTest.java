package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiblslLocatorTest {
    @TempDir Path tmp;

    private static Path fakeVenvLib(Path root, String python) throws IOException {
        Path so =
                root.resolve(
                        "clients/python/.venv/lib/"
                                + python
                                + "/site-packages/pylsl/lib/liblsl.so");
        Files.createDirectories(so.getParent());
        Files.writeString(so, "not really a library");
        return so;
    }

    @Test
    void shouldPreferExplicitEnvironmentPath() throws IOException {
        Path lib = Files.writeString(tmp.resolve("liblsl-custom.so"), "x");
        var found =
                new LiblslLocator(
                                Map.of(LiblslLocator.ENV_PATH, lib.toString()),
                                new Properties(),
                                tmp,
                                List.of(),
                                name -> true)
                        .locate();
        assertThat(found.libraryNameOrPath()).isEqualTo(lib.toAbsolutePath().toString());
    }

    @Test
    void shouldUseSystemPropertyWhenEnvironmentIsUnset() throws IOException {
        Path lib = Files.writeString(tmp.resolve("liblsl-prop.so"), "x");
        Properties props = new Properties();
        props.setProperty(LiblslLocator.PROP_PATH, lib.toString());
        var found = new LiblslLocator(Map.of(), props, tmp, List.of(), name -> true).locate();
        assertThat(found.description()).contains(LiblslLocator.PROP_PATH);
    }

    @Test
    void shouldRefuseExplicitPathThatDoesNotExist() {
        assertThatThrownBy(
                        () ->
                                new LiblslLocator(
                                                Map.of(LiblslLocator.ENV_PATH, "/nope/liblsl.so"),
                                                new Properties(),
                                                tmp,
                                                List.of(),
                                                name -> true)
                                        .locate())
                .isInstanceOf(LiblslNotFoundException.class)
                .hasMessageContaining("/nope/liblsl.so")
                .hasMessageContaining(LiblslLocator.ENV_PATH);
    }

    @Test
    void shouldUseSystemLibraryPathBeforeVenv() throws IOException {
        fakeVenvLib(tmp, "python3.11");
        var found =
                new LiblslLocator(Map.of(), new Properties(), tmp, List.of(), "lsl"::equals)
                        .locate();
        assertThat(found.libraryNameOrPath()).isEqualTo("lsl");
    }

    @Test
    void shouldFindPylslLibraryUnderSpikeloopHome() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("repo"));
        Path so = fakeVenvLib(home, "python3.12");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        var found =
                new LiblslLocator(
                                Map.of(LiblslLocator.ENV_HOME, home.toString()),
                                new Properties(),
                                elsewhere,
                                List.of(),
                                name -> false)
                        .locate();
        assertThat(found.libraryNameOrPath()).isEqualTo(so.toString());
    }

    @Test
    void shouldFindPylslLibraryInAParentOfTheWorkingDirectory() throws IOException {
        Path so = fakeVenvLib(tmp, "python3.11");
        Path cwd = Files.createDirectories(tmp.resolve("app/target"));
        var found =
                new LiblslLocator(Map.of(), new Properties(), cwd, List.of(), name -> false)
                        .locate();
        assertThat(found.libraryNameOrPath()).isEqualTo(so.toString());
    }

    @Test
    void shouldListEveryPlaceLookedWhenMissing() throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("a/b"));
        Path jarDir = Files.createDirectories(tmp.resolve("jar"));
        assertThatThrownBy(
                        () ->
                                new LiblslLocator(
                                                Map.of(),
                                                new Properties(),
                                                cwd,
                                                List.of(jarDir),
                                                name -> false)
                                        .locate())
                .isInstanceOf(LiblslNotFoundException.class)
                .satisfies(
                        e -> {
                            var places = ((LiblslNotFoundException) e).placesSearched();
                            assertThat(places.get(0)).contains(LiblslLocator.ENV_PATH);
                            assertThat(places.get(1)).contains(LiblslLocator.PROP_PATH);
                            assertThat(places).anyMatch(p -> p.contains("system library path"));
                            assertThat(places)
                                    .anyMatch(
                                            p ->
                                                    p.startsWith(cwd.toString())
                                                            && p.endsWith("pylsl/lib/liblsl.so"));
                            assertThat(places).anyMatch(p -> p.startsWith(jarDir.toString()));
                            assertThat(e.getMessage()).contains(String.join("\n  - ", places));
                        });
    }
}
