package org.spikeloop.snn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void shouldRejectABlankCreator() {
        assertThatThrownBy(() -> new Provenance(Instant.EPOCH, " ", null, "", ""))
                .hasMessage("provenance.creator must be a non-blank name");
    }

    @Test
    void shouldRejectAParentIdThatIsNotAContentId() {
        assertThatThrownBy(() -> new Provenance(Instant.EPOCH, "me", "abc", "", ""))
                .hasMessageContaining("provenance.parentId must be a content id")
                .hasMessageContaining("'abc'");
    }

    @Test
    void shouldTurnMissingSourceAndNotesIntoEmptyText() {
        Provenance p = new Provenance(Instant.EPOCH, "me", null, null, null);

        assertThat(p.source()).isEmpty();
        assertThat(p.notes()).isEmpty();
    }

    @Test
    void shouldAcceptAContentIdAsParent() {
        String id = "ab".repeat(32);

        assertThat(Provenance.now("me", "job").withParent(id).parentId()).isEqualTo(id);
        assertThat(Provenance.isContentId(id)).isTrue();
        assertThat(Provenance.isContentId(id.toUpperCase())).isFalse();
    }
}
