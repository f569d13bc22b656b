package org.spikeloop.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileDescriptorBudgetTest {
    @Test
    void shouldFitTheDefaultsInATypicalLimitAndRefuseCapsOverTheLimitNamingTheKeys() {
        // Defaults: 256 gRPC + 64 HTTP connections, 16 sessions.
        assertThat(FileDescriptorBudget.needed(320, 16)).isEqualTo(320 + 100 + 256);
        assertThat(FileDescriptorBudget.check(320, 16, 1024)).isNull();
        assertThat(FileDescriptorBudget.check(320, 16, 256))
                .contains("need up to 676 file descriptors")
                .contains("may open 256 (ulimit -n)")
                .contains("transport.maxConnections");
        assertThat(FileDescriptorBudget.check(320, 16, -1)).isNull(); // not a Unix: unknown
    }

    @Test
    void shouldReadThisProcesssLimit() {
        assertThat(FileDescriptorBudget.processLimit()).isGreaterThan(0);
    }
}
