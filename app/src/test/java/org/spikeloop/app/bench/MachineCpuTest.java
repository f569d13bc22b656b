package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineCpuTest {
    @Test
    void shouldCountWhatIsNeitherIdleNorStolenAsBusy() {
        // user nice system idle iowait irq softirq steal guest guest_nice; two CPUs
        List<String> before =
                List.of(
                        "cpu  100 20 30 4000 50 0 5 7 0 0",
                        "cpu0 50 10 15 2000 25 0 2 3 0 0",
                        "cpu1 50 10 15 2000 25 0 3 4 0 0");
        List<String> after =
                List.of(
                        "cpu  170 20 40 4110 60 0 5 17 0 0",
                        "cpu0 90 10 20 2050 30 0 2 8 0 0",
                        "cpu1 80 10 20 2060 30 0 3 9 0 0");
        MachineCpu.Snapshot start = MachineCpu.parse(before, 0);
        MachineCpu.Snapshot end = MachineCpu.parse(after, 1_000_000_000L);
        assertThat(start.cpus()).isEqualTo(2);
        assertThat(start.idleTicks()).isEqualTo(4000 + 50);
        assertThat(start.stealTicks()).isEqualTo(7);
        // 1 s of 2 CPUs: 120 ticks idle or iowait and 10 stolen = 1.3 cores not busy, 0.7 busy
        // (whatever user and system say: they are sampled, the idle time is measured).
        assertThat(end.busyCoresSince(start)).isCloseTo(0.7, within(1e-12));
        assertThat(end.stealCoresSince(start)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void shouldRefuseAStatFileWithoutTheAggregateLine() {
        assertThatThrownBy(() -> MachineCpu.parse(List.of("cpu0 1 2 3 4", "intr 5"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregate cpu line");
    }

    @Test
    void shouldReadThisMachineAndAChildProcessAsTheKernelCountsThem() throws Exception {
        MachineCpu.Snapshot machineStart = MachineCpu.snapshot();
        assertThat(machineStart).isNotNull();
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        ProcessHandle handle = busy.toHandle();
        long before = MachineCpu.processesCpuNs(List.of(handle));
        Thread.sleep(300);
        long after = MachineCpu.processesCpuNs(List.of(handle));
        MachineCpu.Snapshot machineEnd = MachineCpu.snapshot();
        busy.destroyForcibly().waitFor();
        assertThat(before).isGreaterThanOrEqualTo(0);
        // One process spinning: at least most of a core busy, at most every core.
        assertThat(machineEnd.busyCoresSince(machineStart))
                .isBetween(0.5, (double) machineStart.cpus());
        // The loop never ends by itself: the kernel charged it CPU during the sleep.
        assertThat(after).isGreaterThan(before);
    }
}
