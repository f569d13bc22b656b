package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * liblsl missing or unloadable is a setting the user fixes: one line naming the setting and what to
 * do, exit 2. Each case runs {@code Main} in a JVM of its own, since liblsl loads once per JVM and
 * this one's may have loaded it already.
 */
class LiblslMissingTest {
    @TempDir Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run spikeloop(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(org.spikeloop.app.Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Run(
                p.waitFor(),
                new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void shouldNameAMissingLibraryAndTheFixInOneLine() throws Exception {
        Path none = dir.resolve("liblsl.so");

        Run r = spikeloop(Map.of("SPIKELOOP_LIBLSL", none.toString()), "lsl", "list");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err())
                .startsWith(
                        "spikeloop lsl list: liblsl: env SPIKELOOP_LIBLSL names a file that does"
                                + " not exist: "
                                + none)
                .contains("set SPIKELOOP_LIBLSL=/path/to/liblsl.so");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldNameAnUnloadableLibraryInOneLine() throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("liblsl.so"), "not an ELF file");

        Run r = spikeloop(Map.of("SPIKELOOP_LIBLSL", notALibrary.toString()), "sim", "eeg");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err())
                .startsWith(
                        "spikeloop sim eeg: liblsl: env SPIKELOOP_LIBLSL names "
                                + notALibrary
                                + ", which cannot be loaded");
    }

    @Test
    void shouldListThePlacesSearchedWithVerbose() throws Exception {
        Path none = dir.resolve("liblsl.so");

        Run r = spikeloop(Map.of("SPIKELOOP_LIBLSL", none.toString()), "--verbose", "lsl", "list");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("looked in:").contains("(no such file)").contains("\tat ");
    }
}
