package org.spikeloop.server.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The machine's idle time from the aggregate {@code cpu} line of {@code /proc/stat}, read into a
 * kept buffer through a kept file: no garbage per reading. procfs regenerates the file for each
 * read at offset 0, so one positional read of its start is a fresh reading.
 *
 * <p>Idle is the idle and iowait columns (fields 4 and 5 of {@code proc(5)}), in USER_HZ ticks (10
 * ms on every architecture the JDK runs on).
 *
 * <p>Threading: one reader at a time (the scraping thread, under {@link ProcessorMeters}' lock).
 */
final class ProcStatCpu implements AutoCloseable {
    /** The aggregate line's ten counters fit in far less (each at most 20 digits). */
    private static final int HEAD_BYTES = 512;

    private static final int IDLE_FIELD = 4;
    private static final int IOWAIT_FIELD = 5;

    private final FileChannel file;
    private final ByteBuffer head = ByteBuffer.allocateDirect(HEAD_BYTES);
    private final int cpus;

    private ProcStatCpu(FileChannel file, int cpus) {
        this.file = file;
        this.cpus = cpus;
    }

    /**
     * {@code /proc/stat}, or null where it cannot be read (not Linux): the machine-wide gauge is
     * then not registered.
     */
    static ProcStatCpu open(Path procStat) {
        try {
            int cpus =
                    (int)
                            Files.readAllLines(procStat).stream()
                                    .filter(l -> l.matches("cpu[0-9]+ .*"))
                                    .count();
            FileChannel file = FileChannel.open(procStat, StandardOpenOption.READ);
            ProcStatCpu stat = new ProcStatCpu(file, cpus);
            if (cpus == 0 || stat.idleTicks() < 0) {
                stat.close();
                return null;
            }
            return stat;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The CPUs the file lists (the machine's, also inside a container). */
    int cpus() {
        return cpus;
    }

    /** Idle and iowait ticks of all CPUs since boot; -1 when the file could not be read. */
    long idleTicks() {
        try {
            head.clear();
            int n = file.read(head, 0);
            if (n <= 0) {
                return -1;
            }
            return field(IDLE_FIELD) + field(IOWAIT_FIELD);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The n-th number of the first line ({@code cpu user nice system idle iowait ...}, 1-based
     * after the label); -1 when the line is shorter or malformed.
     */
    private long field(int n) {
        int end = head.position();
        int i = 0;
        while (i < end && head.get(i) != ' ') {
            i++; // the "cpu" label
        }
        for (int f = 1; ; f++) {
            while (i < end && head.get(i) == ' ') {
                i++;
            }
            if (i >= end || head.get(i) == '\n') {
                return -1;
            }
            long value = 0;
            int digits = 0;
            for (byte b; i < end && (b = head.get(i)) >= '0' && b <= '9'; i++, digits++) {
                value = value * 10 + (b - '0');
            }
            if (digits == 0) {
                return -1;
            }
            if (f == n) {
                return value;
            }
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // a read-only procfs file: nothing was written that closing could lose
        }
    }
}
