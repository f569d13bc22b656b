package org.spikeloop.server.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion over one registry directory, between threads and between processes: a
 * per-directory {@link ReentrantLock} inside this JVM (a {@link FileLock} is held per process, and
 * a second {@code lock()} from the same JVM throws instead of waiting), then an exclusive {@link
 * FileLock} on {@code registry.lock}, which the OS releases if the holder dies (so a killed writer
 * never leaves the registry locked).
 *
 * <p>Threading: any thread; blocking; reentrant within a thread (the file lock is taken once).
 */
final class RegistryLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
            new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock local;
    private FileChannel channel;
    private FileLock fileLock;

    RegistryLock(Path lockFile) {
        this.lockFile = lockFile.toAbsolutePath().normalize();
        this.local = IN_PROCESS.computeIfAbsent(this.lockFile, p -> new ReentrantLock());
    }

    /** Runs {@code body} holding both locks. */
    <T> T with(IoSupplier<T> body) {
        local.lock();
        try {
            boolean outer = local.getHoldCount() == 1;
            if (outer) {
                acquireFile();
            }
            try {
                return body.get();
            } catch (IOException e) {
                throw new RegistryException(
                        lockFile.getParent() + ": registry I/O failed: " + e.getMessage(), e);
            } finally {
                if (outer) {
                    releaseFile();
                }
            }
        } finally {
            local.unlock();
        }
    }

    private void acquireFile() {
        try {
            channel =
                    FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            fileLock = channel.lock();
        } catch (IOException e) {
            closeQuietly();
            throw new RegistryException(
                    lockFile + ": cannot lock the registry: " + e.getMessage(), e);
        }
    }

    private void releaseFile() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
        } catch (IOException ignored) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new RegistryException(lockFile + ": cannot close the lock file", e);
        } finally {
            channel = null;
            fileLock = null;
        }
    }

    /** A body that may throw I/O errors. */
    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }
}
