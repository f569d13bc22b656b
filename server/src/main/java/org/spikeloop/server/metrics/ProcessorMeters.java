package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The processor gauges: {@code process.cpu.usage}, {@code system.cpu.usage}, {@code system.cpus}
 * and {@code system.load.average.1m}. Micrometer's {@code ProcessorMetrics} reads the two usages
 * through the JDK's {@code OperatingSystemMXBean}, which in a container reads the cgroup files anew
 * on every call: 104 KB of garbage per usage per scrape, a third of what a whole scrape allocated
 * (docs/benchmarks.md, "Issue 17: what a scrape allocates"). These are computed once per scrape
 * ({@link #refresh}) from the process's CPU clock and {@code /proc/stat}, read into kept buffers,
 * and allocate nothing.
 *
 * <p>Both usages cover the time since the previous refresh, at least {@link #MIN_WINDOW_NS} (a
 * second scrape within it shows the same values); the first covers the time since the binder was
 * bound. Process usage is the process's CPU time over that wall time times {@code system.cpus} (the
 * processors available to the JVM: its cgroup quota or CPU set where it has one); system usage is
 * the share of the machine's CPU time (all CPUs /proc/stat lists, the host's inside a container)
 * that was not idle or iowait. Without /proc/stat (not Linux) {@code system.cpu.usage} is not
 * registered.
 *
 * <p>Threading: {@link #refresh} on the scraping thread (synchronized: two scrapes may overlap);
 * the gauges read the last values from any thread.
 */
public final class ProcessorMeters implements MeterBinder, AutoCloseable {
    /** Shorter windows than this would show the 10-ms tick of /proc/stat as noise. */
    static final long MIN_WINDOW_NS = 1_000_000_000L;

    /** /proc/stat counts USER_HZ ticks of 10 ms (proc(5)). */
    private static final double TICK_NS = 10_000_000.0;

    private final OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
    private final ProcStatCpu procStat;
    private final LongSupplier nanoTime;
    private final LongSupplier processCpuNs;
    private final IntSupplier processors;

    private long lastAtNs;
    private long lastProcessCpuNs;
    private long lastIdleTicks;
    private boolean refreshed;
    private volatile double processUsage = Double.NaN;
    private volatile double systemUsage = Double.NaN;

    public ProcessorMeters() {
        this(
                Path.of("/proc/stat"),
                System::nanoTime,
                ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean())
                        ::getProcessCpuTime,
                Runtime.getRuntime()::availableProcessors);
    }

    /**
     * @param procStat the machine's CPU counters ({@code /proc/stat}; a test's file)
     * @param nanoTime the wall clock the windows are measured on
     * @param processCpuNs the process's CPU time so far
     * @param processors the processors available to the process
     */
    ProcessorMeters(
            Path procStat,
            LongSupplier nanoTime,
            LongSupplier processCpuNs,
            IntSupplier processors) {
        this.procStat = ProcStatCpu.open(procStat);
        this.nanoTime = nanoTime;
        this.processCpuNs = processCpuNs;
        this.processors = processors;
        this.lastAtNs = nanoTime.getAsLong();
        this.lastProcessCpuNs = processCpuNs.getAsLong();
        this.lastIdleTicks = this.procStat == null ? -1 : this.procStat.idleTicks();
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Gauge.builder("process.cpu.usage", this, m -> m.processUsage)
                .description(
                        "CPU use of this process since the previous scrape, 0-1 of the"
                                + " processors available to it")
                .register(r);
        if (procStat != null) {
            Gauge.builder("system.cpu.usage", this, m -> m.systemUsage)
                    .description(
                            "CPU use of the whole machine since the previous scrape: the share"
                                    + " of its CPU time that was not idle, 0-1")
                    .register(r);
        }
        Gauge.builder("system.cpus", processors, IntSupplier::getAsInt)
                .description("The number of processors available to the Java virtual machine")
                .register(r);
        Gauge.builder("system.load.average.1m", system, OperatingSystemMXBean::getSystemLoadAverage)
                .description("Run-queue length averaged over a minute")
                .register(r);
    }

    /** The last process usage (NaN before the first refresh). */
    double processUsage() {
        return processUsage;
    }

    /** The last machine usage (NaN before the first refresh or without /proc/stat). */
    double systemUsage() {
        return systemUsage;
    }

    /** Takes the readings the usages come from, when the last was at least a window ago. */
    public synchronized void refresh() {
        long now = nanoTime.getAsLong();
        long wallNs = now - lastAtNs;
        if ((refreshed && wallNs < MIN_WINDOW_NS) || wallNs <= 0) {
            return;
        }
        long cpuNs = processCpuNs.getAsLong();
        processUsage =
                clamp((cpuNs - lastProcessCpuNs) / ((double) wallNs * processors.getAsInt()));
        lastProcessCpuNs = cpuNs;
        if (procStat != null) {
            long idle = procStat.idleTicks();
            if (idle >= 0 && lastIdleTicks >= 0) {
                double idleNs = (idle - lastIdleTicks) * TICK_NS;
                systemUsage = clamp(1 - idleNs / ((double) wallNs * procStat.cpus()));
            }
            lastIdleTicks = idle;
        }
        lastAtNs = now;
        refreshed = true;
    }

    private static double clamp(double usage) {
        return Math.max(0, Math.min(1, usage));
    }

    @Override
    public void close() {
        if (procStat != null) {
            procStat.close();
        }
    }
}
