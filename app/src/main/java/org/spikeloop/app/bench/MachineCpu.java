package org.spikeloop.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the machine's CPU went during a window, beside the server's own threads: the whole
 * machine's busy and stolen time from {@code /proc/stat} (steal: time the hypervisor ran someone
 * else while this VM wanted to run) and the CPU time of the benchmark's child processes (rigs,
 * watcher) from the kernel's per-process accounting. On a 2-core machine the rigs and the watcher
 * share the server's cores, so the report says how much of them they took.
 *
 * <p>Threading: the benchmark's control thread.
 */
final class MachineCpu {
    /** Linux's USER_HZ: /proc/stat counts ticks of 10 ms on every architecture the JDK runs on. */
    private static final double TICK_NS = 10_000_000.0;

    private MachineCpu() {}

    /** The machine's CPU counters at one instant. */
    record Snapshot(long busyTicks, long stealTicks) {
        /**
         * Busy cores and stolen cores (each in cores, over {@code windowNs}) since {@code start}.
         */
        double busyCoresSince(Snapshot start, double windowNs) {
            return (busyTicks - start.busyTicks) * TICK_NS / windowNs;
        }

        double stealCoresSince(Snapshot start, double windowNs) {
            return (stealTicks - start.stealTicks) * TICK_NS / windowNs;
        }
    }

    /**
     * The aggregate {@code cpu} line of /proc/stat: user, nice, system, idle, iowait, irq, softirq,
     * steal, ... Busy is everything but idle, iowait and steal; null where /proc/stat is not there.
     */
    static Snapshot snapshot() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Snapshot parse(List<String> procStat) {
        for (String line : procStat) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long user = Long.parseLong(f[1]);
                long nice = Long.parseLong(f[2]);
                long system = Long.parseLong(f[3]);
                long irq = f.length > 6 ? Long.parseLong(f[6]) : 0;
                long softirq = f.length > 7 ? Long.parseLong(f[7]) : 0;
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                return new Snapshot(user + nice + system + irq + softirq, steal);
            }
        }
        throw new IllegalArgumentException("no aggregate cpu line in /proc/stat");
    }

    /**
     * The CPU time the processes have used so far (every thread, user and system), ns; -1 if the
     * platform does not say for one of them.
     */
    static long processesCpuNs(List<ProcessHandle> processes) {
        long total = 0;
        for (ProcessHandle p : processes) {
            long ns = p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            if (ns < 0) {
                return -1;
            }
            total += ns;
        }
        return total;
    }
}
