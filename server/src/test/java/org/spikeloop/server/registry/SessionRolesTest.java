package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionRolesTest {
    @Test
    void shouldSetOneRoleAndKeepTheOthers() {
        SessionRoles r = SessionRoles.none().with(Role.ACTIVE, "a").with(Role.LAST_GOOD, "g");
        assertThat(r).isEqualTo(new SessionRoles("a", null, "g"));
        assertThat(r.with(Role.ACTIVE, "b").get(Role.LAST_GOOD)).isEqualTo("g");
    }

    @Test
    void shouldTellWhetherAnIdHoldsAnyRole() {
        SessionRoles r = new SessionRoles("a", "b", null);
        assertThat(r.holds("b")).isTrue();
        assertThat(r.holds("c")).isFalse();
        assertThat(r.holds(null)).isFalse();
    }
}
