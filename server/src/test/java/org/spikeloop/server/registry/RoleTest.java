package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {
    @Test
    void shouldParseKeysAndEnumNames() {
        assertThat(Role.parse("lastGood")).isEqualTo(Role.LAST_GOOD);
        assertThat(Role.parse("REFERENCE")).isEqualTo(Role.REFERENCE);
    }

    @Test
    void shouldNameTheKnownRolesForAnUnknownOne() {
        assertThatThrownBy(() -> Role.parse("best"))
                .hasMessageContaining("role 'best' is unknown; known: active, reference, lastGood");
    }
}
