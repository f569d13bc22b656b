package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class E2eBenchCommandTest {
    private static E2eBenchCommand with(String sessions) {
        E2eBenchCommand c = new E2eBenchCommand();
        c.sessions = sessions;
        return c;
    }

    @Test
    void shouldTakeOneSessionCountOrAList() {
        assertThat(with("8").sessionCounts()).containsExactly(8);
        assertThat(with("1,2,4,8,16").sessionCounts()).containsExactly(1, 2, 4, 8, 16);
        assertThat(with(" 2, 4").sessionCounts()).containsExactly(2, 4);
    }

    @Test
    void shouldRefuseWhatIsNotACountNamingTheOption() {
        assertThatThrownBy(() -> with("1,x").sessionCounts())
                .hasMessageStartingWith("--sessions: a count or a comma-separated list");
        assertThatThrownBy(() -> with("0,2").sessionCounts())
                .hasMessage("--sessions: must be >= 1, got 0");
    }

    @Test
    void shouldTakePageClientCountsToAlternateAndRefuseOthersNamingTheOption() {
        E2eBenchCommand c = with("8");
        c.pageClients = "0,10";
        assertThat(c.pageClientCounts()).containsExactly(0, 10);
        c.pageClients = "0";
        assertThat(c.pageClientCounts()).containsExactly(0);
        c.pageClients = "10,-1";
        assertThatThrownBy(c::pageClientCounts)
                .hasMessageStartingWith("--page-clients: a count in [0, 256]");
        c.pageClients = "many";
        assertThatThrownBy(c::pageClientCounts).hasMessageContaining("got 'many'");
    }
}
