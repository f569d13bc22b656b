package org.spikeloop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.testing.AllocationMeter;

class ProcessorMetersTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir Path dir;

    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final AtomicLong processCpu = new AtomicLong(0);

    /** A two-CPU /proc/stat whose aggregate idle and iowait columns are the given ticks. */
    private Path writeStat(Path file, long idleTicks, long iowaitTicks) throws IOException {
        Files.writeString(
                file,
                "cpu  4705 150 1120 "
                        + idleTicks
                        + " "
                        + iowaitTicks
                        + " 0 12 3 0 0\n"
                        + "cpu0 2000 70 500 700 20 0 6 1 0 0\n"
                        + "cpu1 2705 80 620 700 20 0 6 2 0 0\n"
                        + "intr 123456 0 0 0\n"
                        + "ctxt 99999\n");
        return file;
    }

    private ProcessorMeters meters(Path stat) {
        return new ProcessorMeters(stat, clock::get, processCpu::get, () -> 2);
    }

    @Test
    void shouldShowTheShareOfCpuTimeUsedSinceThePreviousScrape() throws IOException {
        Path stat = writeStat(dir.resolve("stat"), 1_000, 20);
        try (ProcessorMeters m = meters(stat)) {
            SimpleMeterRegistry r = new SimpleMeterRegistry();
            m.bindTo(r);
            // 2 s later: the process ran 1 s of CPU on its 2 processors (1 of 4 CPU-seconds);
            // the machine was idle 150 ticks and in iowait 50 (2 of its 4 CPU-seconds)
            clock.addAndGet(2 * SECOND);
            processCpu.addAndGet(SECOND);
            writeStat(stat, 1_150, 70);
            m.refresh();

            assertThat(r.get("process.cpu.usage").gauge().value()).isCloseTo(0.25, within(1e-12));
            assertThat(r.get("system.cpu.usage").gauge().value()).isCloseTo(0.5, within(1e-12));
            assertThat(r.get("system.cpus").gauge().value()).isEqualTo(2);
            // the next window: 1 s, the process used 2 CPU-seconds of its 2, the machine never
            // idled
            clock.addAndGet(SECOND);
            processCpu.addAndGet(2 * SECOND);
            m.refresh();
            assertThat(m.processUsage()).isCloseTo(1.0, within(1e-12));
            assertThat(m.systemUsage()).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void shouldKeepTheLastValuesWhenScrapedAgainWithinTheMinimumWindow() throws IOException {
        Path stat = writeStat(dir.resolve("stat"), 1_000, 0);
        try (ProcessorMeters m = meters(stat)) {
            clock.addAndGet(SECOND);
            processCpu.addAndGet(SECOND / 2);
            m.refresh();
            assertThat(m.processUsage()).isCloseTo(0.25, within(1e-12));

            // 10 ms later the process burnt 20 ms: a window that short is tick noise, not shown
            clock.addAndGet(ProcessorMeters.MIN_WINDOW_NS / 100);
            processCpu.addAndGet(20_000_000L);
            writeStat(stat, 1_000, 0);
            m.refresh();
            assertThat(m.processUsage()).isCloseTo(0.25, within(1e-12));

            // once the window is long enough, it covers everything since the last reading
            clock.addAndGet(ProcessorMeters.MIN_WINDOW_NS);
            m.refresh();
            assertThat(m.processUsage())
                    .isCloseTo(20e6 / ((ProcessorMeters.MIN_WINDOW_NS * 1.01) * 2), within(1e-12));
        }
    }

    @Test
    void shouldLeaveOutTheMachineGaugeWithoutAProcStat() {
        try (ProcessorMeters m = meters(dir.resolve("no-such-file"))) {
            SimpleMeterRegistry r = new SimpleMeterRegistry();
            m.bindTo(r);
            clock.addAndGet(SECOND);
            processCpu.addAndGet(SECOND);
            m.refresh();

            assertThat(r.find("system.cpu.usage").gauge()).isNull();
            assertThat(r.get("process.cpu.usage").gauge().value()).isCloseTo(0.5, within(1e-12));
        }
    }

    @Test
    void shouldLeaveOutTheMachineGaugeWhenProcStatIsNotWhatItExpects() throws IOException {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  12 x\ncpu0 1 2\n");
        try (ProcessorMeters m = meters(stat)) {
            SimpleMeterRegistry r = new SimpleMeterRegistry();
            m.bindTo(r);
            assertThat(r.find("system.cpu.usage").gauge()).isNull();
        }
    }

    @Test
    void shouldReadTheRealProcStatWithoutAllocating() {
        try (ProcessorMeters m = meters(Path.of("/proc/stat"))) {
            SimpleMeterRegistry r = new SimpleMeterRegistry();
            m.bindTo(r);
            for (int i = 0; i < 10_000; i++) { // warm up: the JIT compiles the parser
                clock.addAndGet(SECOND);
                m.refresh();
            }
            long before = AllocationMeter.allocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                clock.addAndGet(SECOND);
                m.refresh();
            }
            long bytes = AllocationMeter.allocatedBytes() - before;

            assertThat(bytes).isZero();
            assertThat(m.systemUsage()).isBetween(0.0, 1.0);
        }
    }
}
