package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineageTest {
    @Test
    void shouldDefaultMissingFields() {
        Lineage l = new Lineage(null, null, null, null, null, "alice");
        assertThat(l.sessionId()).isEmpty();
        assertThat(l.kind()).isEqualTo("import");
        assertThat(l.dataRange().files()).isEmpty();
        assertThat(l.dataRange().fromS()).isNaN();
        assertThat(l.reason()).isEmpty();
    }

    @Test
    void shouldCarryASnapshotsReason() {
        Lineage l = Lineage.snapshot("s", "p", "alice", "why");
        assertThat(l.kind()).isEqualTo("snapshot");
        assertThat(l.parentId()).isEqualTo("p");
        assertThat(l.reason()).isEqualTo("why");
        assertThat(new Lineage("s", "job", null, "j", null, "bob", null).reason()).isEmpty();
    }

    @Test
    void shouldRequireACreator() {
        assertThatThrownBy(() -> new Lineage("s", "job", null, "j", null, " "))
                .hasMessageContaining("lineage.creator");
    }
}
