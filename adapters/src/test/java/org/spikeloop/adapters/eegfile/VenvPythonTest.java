package org.spikeloop.adapters.eegfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VenvPythonTest {
    @TempDir Path tmp;

    private static Path executable(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void shouldPreferTheExplicitInterpreter() throws IOException {
        Path py = executable(tmp.resolve("bin/python-with-mne"));
        executable(tmp.resolve("repo").resolve(VenvPython.VENV_PYTHON));
        Map<String, String> env =
                Map.of(VenvPython.ENV_PATH, py.toString(), VenvPython.ENV_HOME, "repo");
        assertThat(new VenvPython(env, tmp.resolve("repo"), List.of()).locate()).isEqualTo(py);
    }

    @Test
    void shouldRefuseAnExplicitPathThatIsNoExecutable() throws IOException {
        Path notExec = Files.writeString(tmp.resolve("python"), "");
        for (String bad : List.of("/nope/python", notExec.toString(), tmp.toString())) {
            assertThatThrownBy(
                            () ->
                                    new VenvPython(Map.of(VenvPython.ENV_PATH, bad), tmp, List.of())
                                            .locate())
                    .isInstanceOf(EegFileException.class)
                    .hasMessageContaining("names no executable file: " + bad);
        }
    }

    @Test
    void shouldFindTheVirtualenvUnderHomeThenTheWorkingDirectoryAndItsParents() throws IOException {
        Path home = executable(tmp.resolve("home").resolve(VenvPython.VENV_PYTHON));
        Path above = executable(tmp.resolve("repo").resolve(VenvPython.VENV_PYTHON));
        Path cwd = Files.createDirectories(tmp.resolve("repo/app/target"));
        assertThat(
                        new VenvPython(
                                        Map.of(VenvPython.ENV_HOME, tmp.resolve("home").toString()),
                                        cwd,
                                        List.of())
                                .locate())
                .isEqualTo(home);
        assertThat(new VenvPython(Map.of(), cwd, List.of()).locate()).isEqualTo(above);
        Path jarDir = Files.createDirectories(tmp.resolve("repo/app/target/lib"));
        assertThat(new VenvPython(Map.of(), tmp.resolve("elsewhere"), List.of(jarDir)).locate())
                .isEqualTo(above);
    }

    @Test
    void shouldListEveryPlaceLookedWhenNothingIsFound() {
        Path cwd = tmp.resolve("a/b");
        assertThatThrownBy(() -> new VenvPython(Map.of(), cwd, List.of()).locate())
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("no Python with MNE found")
                .hasMessageContaining(cwd.resolve(VenvPython.VENV_PYTHON).toString())
                .hasMessageContaining(tmp.resolve("a").resolve(VenvPython.VENV_PYTHON).toString());
    }
}
