package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.os.CpuWakeLatency;

class CpuWakeLatencyWhileDecodingTest {
    @TempDir Path dir;

    @Test
    void shouldHoldOneRequestFromTheFirstSessionToTheLastOneStopping() throws IOException {
        Path device = Files.createFile(dir.resolve("cpu_dma_latency"));
        List<CpuWakeLatency> made = new ArrayList<>();
        CpuWakeLatencyWhileDecoding hold =
                new CpuWakeLatencyWhileDecoding(
                        0, us -> record(made, CpuWakeLatency.request(device, us)));

        assertThat(hold.state()).isEqualTo("none");
        hold.started("s-1");
        hold.started("s-2");
        assertThat(made).hasSize(1);
        assertThat(hold.state()).isEqualTo("held 0 us");

        hold.stopped("s-1");
        hold.stopped("s-unknown"); // a session it never saw start (a failed creation)
        assertThat(made.get(0).held()).isTrue();

        hold.stopped("s-2");
        assertThat(made.get(0).held()).isFalse();
        assertThat(hold.state()).isEqualTo("none");

        hold.started("s-3"); // a new first session asks again
        assertThat(made).hasSize(2);
        hold.close();
        assertThat(made.get(1).held()).isFalse();
    }

    @Test
    void shouldReportARefusalWhileSessionsRunAndCarryOn() {
        CpuWakeLatencyWhileDecoding hold =
                new CpuWakeLatencyWhileDecoding(
                        0, us -> CpuWakeLatency.request(dir.resolve("absent/dev"), us));

        hold.started("s-1");

        assertThat(hold.state()).startsWith("refused: cannot open");
        hold.stopped("s-1");
        assertThat(hold.state()).isEqualTo("none");
    }

    private static CpuWakeLatency record(List<CpuWakeLatency> made, CpuWakeLatency r) {
        made.add(r);
        return r;
    }
}
