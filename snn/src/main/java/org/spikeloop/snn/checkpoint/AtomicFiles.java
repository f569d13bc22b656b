package org.spikeloop.snn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe whole-file replacement: write a temporary file in the same directory, fsync it, rename
 * it over the target atomically, fsync the directory. A reader (or a process restarting after a
 * crash) sees the old file or the new one, never a mixture; on failure the temporary file is
 * removed and the target is untouched. Used for checkpoints and the registry's index.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * @param target the file to create or replace
     * @param bytes its whole new content (not modified)
     * @throws IOException if any step fails (the target is then unchanged)
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp =
                dir.resolve(
                        "."
                                + absolute.getFileName()
                                + ".tmp-"
                                + ProcessHandle.current().pid()
                                + "-"
                                + System.nanoTime());
        try {
            try (FileChannel ch =
                    FileChannel.open(
                            tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(
                        tmp,
                        absolute,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically", e);
            }
            // The rename is durable only once the directory entry is on disk.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
