package org.spikeloop.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuWakeLatencyTest {
    @TempDir Path dir;

    @Test
    void shouldWriteTheLatencyAsANativeInt32AndHoldItUntilClosed() throws IOException {
        Path device = Files.createFile(dir.resolve("cpu_dma_latency"));

        CpuWakeLatency request = CpuWakeLatency.request(device, 25);

        assertThat(request.refusal()).isNull();
        assertThat(request.held()).isTrue();
        byte[] written = Files.readAllBytes(device);
        assertThat(written).hasSize(4);
        assertThat(ByteBuffer.wrap(written).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(25);
        request.close();
        assertThat(request.held()).isFalse();
    }

    @Test
    void shouldSayWhyWhenTheDeviceCannotBeOpenedAndHoldNothing() throws IOException {
        CpuWakeLatency request = CpuWakeLatency.request(dir.resolve("absent/cpu_dma_latency"), 0);

        assertThat(request.held()).isFalse();
        assertThat(request.refusal()).startsWith("cannot open ").contains("absent");
        request.close(); // nothing to withdraw
    }

    @Test
    void shouldRefuseANegativeLatency() {
        assertThatThrownBy(() -> CpuWakeLatency.request(dir.resolve("x"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
    }
}
