package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Platform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;

/**
 * Kills a child JVM (SIGKILL via {@code destroyForcibly}) many times while it registers
 * checkpoints, moves roles, writes job reports and applies retention; after each kill the registry
 * must open, list only files that load and verify, never list a partial or temporary file, and hold
 * only whole reports.
 *
 * <p>Half the kills come at a random moment, which may fall between two writes and leave nothing to
 * recover. The other half are caught mid-write, deterministically: once a temporary file appears
 * the child is stopped (SIGSTOP, every thread parked outside any system call), and it is killed
 * only if a temporary file is still there while it is stopped, else resumed and caught again. So
 * every one of those kills leaves at least one half-written file, and the test asserts that each
 * leftover (temporary file, complete but unlisted checkpoint) existed before the registry was
 * reopened and is gone after: recovery ran and repaired it. (Linux: SIGSTOP and {@code /proc};
 * elsewhere every kill is random, and at least one must have left something to recover.)
 */
class CheckpointRegistryCrashTest {
    private static final int KILLS = 24;

    /** Longest wait to catch a child mid-write, or for it to stop on SIGSTOP. */
    private static final long CATCH_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir Path dir;

    @Test
    void shouldListOnlyVerifiedCheckpointsAfterRepeatedKillsDuringWrites() throws Exception {
        // Catching a child mid-write takes SIGSTOP and /proc: elsewhere every kill is random.
        boolean canStop = Platform.isLinux();
        SplittableRandom random = new SplittableRandom(42);
        int totalListed = 0;
        int midWriteKills = 0;
        int killsWithLeftovers = 0;
        int temporaries = 0;
        int orphans = 0;
        for (int k = 0; k < KILLS; k++) {
            boolean midWrite = canStop && k % 2 == 1;
            Process child = startChild(k * 1000L);
            try {
                BufferedReader out =
                        new BufferedReader(
                                new InputStreamReader(
                                        child.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).as("child %d started", k).isEqualTo("ready");
                Thread.sleep(30 + random.nextInt(400));
                if (midWrite) {
                    stopMidWrite(child);
                    midWriteKills++;
                }
            } finally {
                child.destroyForcibly(); // SIGKILL, stopped or not
                child.waitFor();
            }

            // What the kill left for recovery.
            List<Path> temps = temporaries();
            List<Path> unlisted = unlistedCheckpoints();
            if (midWrite) {
                assertThat(temps)
                        .as("kill %d came mid-write: a temporary file is left", k)
                        .isNotEmpty();
            }
            List<Path> leftovers = new ArrayList<>(temps);
            leftovers.addAll(unlisted);
            if (!leftovers.isEmpty()) {
                killsWithLeftovers++;
            }
            temporaries += temps.size();
            orphans += unlisted.size();

            CheckpointRegistry r = CheckpointRegistry.open(dir);

            for (Path p : leftovers) {
                assertThat(p).as("kill %d: removed by recovery", k).doesNotExist();
            }
            assertThat(temporaries()).as("kill %d: no temporary file after recovery", k).isEmpty();
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
            try (Stream<Path> s = Files.list(r.reportsDir())) {
                s.forEach(
                        p ->
                                assertThat(p)
                                        .as("a whole report")
                                        .hasSize(RegistryWriterMain.REPORT_BYTES));
            }
            totalListed = listed.size();
        }
        assertThat(totalListed).as("the children registered something").isPositive();
        assertThat(killsWithLeftovers)
                .as("kills that left something to recover (every mid-write one at least)")
                .isGreaterThanOrEqualTo(midWriteKills)
                .isPositive();
        System.out.printf(
                "crash test: %d kills (%d caught mid-write), %d listed at the end; %d kills left"
                        + " something to recover: %d temporary files and %d complete but unlisted"
                        + " checkpoint files, all removed on reopening%n",
                KILLS, midWriteKills, totalListed, killsWithLeftovers, temporaries, orphans);
    }

    /**
     * Returns with the child stopped (SIGSTOP) while it has a temporary file on disk: waits for one
     * to appear, stops the child, and keeps it stopped if one is still there (else resumes it and
     * tries again).
     */
    private void stopMidWrite(Process child) throws Exception {
        long deadline = System.nanoTime() + CATCH_TIMEOUT_NS;
        while (true) {
            assertThat(child.isAlive()).as("the child is writing").isTrue();
            assertThat(System.nanoTime())
                    .as("caught the child mid-write within 30 s")
                    .isLessThan(deadline);
            if (temporaries().isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            signal(child, "STOP");
            awaitStopped(child);
            if (!temporaries().isEmpty()) {
                return; // the state a kill now leaves: mid-write
            }
            signal(child, "CONT");
        }
    }

    private static void signal(Process child, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
        assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
    }

    /**
     * Waits until every thread of the child is stopped: none is then inside a system call (a
     * rename, a write), so the files on disk are exactly what a kill leaves.
     */
    private static void awaitStopped(Process child) throws Exception {
        Path tasks = Path.of("/proc", Long.toString(child.pid()), "task");
        long deadline = System.nanoTime() + CATCH_TIMEOUT_NS;
        while (!allStopped(tasks)) {
            assertThat(System.nanoTime()).as("the child stopped on SIGSTOP").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static boolean allStopped(Path tasks) throws IOException {
        try (DirectoryStream<Path> ts = Files.newDirectoryStream(tasks)) {
            for (Path t : ts) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (NoSuchFileException e) {
                    continue; // a thread that just exited
                }
                // "pid (comm) S ...": the state follows the last ')' (comm may hold one).
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't' && state != 'Z' && state != 'X') {
                    return false;
                }
            }
        }
        return true;
    }

    /** Temporary files of interrupted writes: the index's, checkpoints', reports'. */
    private List<Path> temporaries() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path d :
                List.of(
                        dir,
                        dir.resolve(CheckpointRegistry.CHECKPOINTS),
                        dir.resolve(CheckpointRegistry.REPORTS))) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(d, ".*.tmp-*")) {
                files.forEach(found::add);
            }
        }
        return found;
    }

    /**
     * Complete checkpoint files the index does not list (written, then not listed, or unlisted).
     */
    private List<Path> unlistedCheckpoints() throws IOException {
        RegistryIndex index = RegistryIndex.read(dir.resolve(CheckpointRegistry.INDEX));
        try (Stream<Path> s = Files.list(dir.resolve(CheckpointRegistry.CHECKPOINTS))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(
                            p ->
                                    !index.entries.containsKey(
                                            p.getFileName().toString().replace(".ckpt", "")))
                    .toList();
        }
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
