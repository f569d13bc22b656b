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
 * <p>Busy is the cores' time minus their idle, iowait and steal time, not the sum of the user and
 * system columns: with a tickless kernel the idle time is measured exactly while user and system
 * are sampled at each tick, and threads that wake briefly and often (an engine polling every 50 µs)
 * are mostly asleep at the ticks. Measured here: the user and system columns summed to 0.40 cores
 * while the server's own process, by its exact CPU clock, used 0.48.
 *
 * <p>Threading: the benchmark's control thread.
 */
final class MachineCpu {
    /** Linux's USER_HZ: /proc/stat counts ticks of 10 ms on every architecture the JDK runs on. */
    private static final double TICK_NS = 10_000_000.0;

    private MachineCpu() {}

    /**
     * The machine's CPU counters at one instant.
     *
     * @param atNs when they were read ({@link System#nanoTime})
     * @param cpus the CPUs /proc/stat lists
     * @param idleTicks idle and iowait, all CPUs
     * @param stealTicks steal, all CPUs
     */
    record Snapshot(long atNs, int cpus, long idleTicks, long stealTicks) {
        /** Cores busy on average since {@code start}: neither idle nor stolen. */
        double busyCoresSince(Snapshot start) {
            double wallNs = atNs - start.atNs;
            double notBusyNs =
                    (idleTicks - start.idleTicks + stealTicks - start.stealTicks) * TICK_NS;
            return Math.max(0, cpus - notBusyNs / wallNs);
        }

        /** Cores the hypervisor took on average since {@code start}. */
        double stealCoresSince(Snapshot start) {
            return (stealTicks - start.stealTicks) * TICK_NS / (atNs - start.atNs);
        }
    }

    /** /proc/stat now; null where it is not there. */
    static Snapshot snapshot() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat")), System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The aggregate {@code cpu} line of /proc/stat (user, nice, system, idle, iowait, irq, softirq,
     * steal, ...) and the number of {@code cpuN} lines.
     */
    static Snapshot parse(List<String> procStat, long atNs) {
        long[] total = null;
        int cpus = 0;
        for (String line : procStat) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                total = new long[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    total[i - 1] = Long.parseLong(f[i]);
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        if (total == null || total.length < 4 || cpus == 0) {
            throw new IllegalArgumentException(
                    "no aggregate cpu line or no cpuN line in /proc/stat");
        }
        long iowait = total.length > 4 ? total[4] : 0;
        long steal = total.length > 7 ? total[7] : 0;
        return new Snapshot(atNs, cpus, total[3] + iowait, steal);
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
