package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLockTest {
    @TempDir Path dir;

    @Test
    void shouldWaitForAnotherProcessHoldingTheLock() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                LockHolderMain.class.getName(),
                                dir.resolve("registry.lock").toString(),
                                "800")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        long t0 = System.nanoTime();
        long waitedMs =
                new RegistryLock(dir.resolve("registry.lock"))
                        .with(() -> (System.nanoTime() - t0) / 1_000_000);
        child.waitFor();
        assertThat(waitedMs).as("blocked while the child held the file lock").isGreaterThan(400);
    }

    @Test
    void shouldTakeTheLockAtOnceAfterTheHolderWasKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                LockHolderMain.class.getName(),
                                dir.resolve("registry.lock").toString(),
                                "600000")
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        child.destroyForcibly();
        child.waitFor();
        long t0 = System.nanoTime();
        long ms =
                new RegistryLock(dir.resolve("registry.lock"))
                        .with(() -> (System.nanoTime() - t0) / 1_000_000);
        assertThat(ms).isLessThan(5_000);
    }

    @Test
    void shouldBeReentrantWithinAThread() {
        RegistryLock lock = new RegistryLock(dir.resolve("registry.lock"));
        int v = lock.with(() -> lock.with(() -> 7));
        assertThat(v).isEqualTo(7);
    }
}
