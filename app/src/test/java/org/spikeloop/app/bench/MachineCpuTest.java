package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineCpuTest {
    @Test
    void shouldCountEverythingButIdleIowaitAndStealAsBusy() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineCpu.Snapshot start =
                MachineCpu.parse(
                        List.of(
                                "cpu  100 20 30 4000 50 0 5 7 0 0",
                                "cpu0 50 10 15 2000 25 0 2 3 0 0"));
        MachineCpu.Snapshot end = MachineCpu.parse(List.of("cpu  250 70 60 4100 60 0 20 17 0 0"));
        assertThat(start.busyTicks()).isEqualTo(100 + 20 + 30 + 0 + 5);
        assertThat(start.stealTicks()).isEqualTo(7);
        // 1 s window: (150 + 50 + 30 + 15) ticks of 10 ms = 2.45 cores busy, 10 ticks = 0.1 stolen.
        assertThat(end.busyCoresSince(start, 1e9)).isCloseTo(2.45, within(1e-12));
        assertThat(end.stealCoresSince(start, 1e9)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void shouldRefuseAStatFileWithoutTheAggregateLine() {
        assertThatThrownBy(() -> MachineCpu.parse(List.of("cpu0 1 2 3 4", "intr 5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregate cpu line");
    }

    @Test
    void shouldReadThisMachineAndAChildProcessAsTheKernelCountsThem() throws Exception {
        assertThat(MachineCpu.snapshot()).isNotNull();
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        ProcessHandle handle = busy.toHandle();
        long before = MachineCpu.processesCpuNs(List.of(handle));
        Thread.sleep(300);
        long after = MachineCpu.processesCpuNs(List.of(handle));
        busy.destroyForcibly().waitFor();
        assertThat(before).isGreaterThanOrEqualTo(0);
        // The loop never ends by itself: the kernel charged it CPU during the sleep.
        assertThat(after).isGreaterThan(before);
    }
}
