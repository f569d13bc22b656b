package org.spikeloop.server.registry;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Child process of {@link RegistryLockTest}: holds the file lock for a while. */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel ch =
                        FileChannel.open(
                                Path.of(args[0]),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
    }
}
