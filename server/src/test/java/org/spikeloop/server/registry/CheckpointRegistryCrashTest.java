package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;

/**
 * Kills a child JVM (SIGKILL via {@code destroyForcibly}) at random moments while it registers
 * checkpoints, moves roles, writes job reports and applies retention, many times; after each kill
 * the registry must open, list only files that load and verify, never list a partial or temporary
 * file, and hold only whole reports.
 */
class CheckpointRegistryCrashTest {
    private static final int KILLS = 25;

    @TempDir Path dir;

    @Test
    void shouldListOnlyVerifiedCheckpointsAfterRepeatedKillsDuringWrites() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        int totalListed = 0;
        int recoveredFiles = 0;
        long orphans = 0;
        for (int k = 0; k < KILLS; k++) {
            Process child = startChild(k * 1000L);
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("child %d started", k).isEqualTo("ready");
            Thread.sleep(30 + random.nextInt(400));
            child.destroyForcibly();
            child.waitFor();

            long leftovers;
            try (Stream<Path> s = Files.walk(dir)) {
                leftovers = s.filter(p -> p.getFileName().toString().contains(".tmp-")).count();
            }
            RegistryIndex before = RegistryIndex.read(dir.resolve(CheckpointRegistry.INDEX));
            try (Stream<Path> s = Files.list(dir.resolve(CheckpointRegistry.CHECKPOINTS))) {
                orphans +=
                        s.filter(p -> !p.getFileName().toString().startsWith("."))
                                .filter(
                                        p ->
                                                !before.entries.containsKey(
                                                        p.getFileName()
                                                                .toString()
                                                                .replace(".ckpt", "")))
                                .count();
            }
            CheckpointRegistry r = CheckpointRegistry.open(dir);
            recoveredFiles += (int) leftovers;
            List<RegistryEntry> listed = r.list();
            for (RegistryEntry e : listed) {
                assertThat(e.file()).doesNotContain(".tmp-");
                Checkpoint c = r.load(e.id()); // checksum + content id verified
                assertThat(c.contentId()).isEqualTo(e.id());
                assertThat(Files.size(dir.resolve(e.file()))).isEqualTo(e.bytes());
            }
            for (SessionRoles roles : r.allRoles().values()) {
                for (Role role : Role.values()) {
                    if (roles.get(role) != null) {
                        assertThat(r.find(roles.get(role))).as("%s listed", role).isPresent();
                    }
                }
            }
            try (Stream<Path> s = Files.list(dir.resolve(CheckpointRegistry.CHECKPOINTS))) {
                assertThat(s.count())
                        .as("no unlisted files after recovery")
                        .isEqualTo(listed.size());
            }
            totalListed = listed.size();
        }
        assertThat(totalListed).as("the children registered something").isPositive();
        System.out.printf(
                "crash test: %d kills, %d listed at the end, after the kills %d temporary files and"
                        + " %d complete but unlisted checkpoint files were found (and removed)%n",
                KILLS, totalListed, recoveredFiles, orphans);
    }

    private Process startChild(long seed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RegistryWriterMain.class.getName(),
                        dir.toString(),
                        Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
