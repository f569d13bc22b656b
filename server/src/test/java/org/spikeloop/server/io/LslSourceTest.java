package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LslSourceTest {
    @Test
    void shouldChargeASampleFromThePreviousPollWhenItWasStampedBefore() {
        // Stamped at 1.000 s, the previous empty poll at 1.002 s, pulled at 1.005 s: it waited
        // in liblsl's buffer since 1.002 s at the latest.
        assertThat(LslSource.earliestArrivalNs(1.000, 1_002_000_000L, 1_005_000_000L))
                .isEqualTo(1_002_000_000L);
    }

    @Test
    void shouldChargeASampleFromItsStampWhenStampedAfterThePreviousPoll() {
        assertThat(LslSource.earliestArrivalNs(1.003, 1_002_000_000L, 1_005_000_000L))
                .isEqualTo(1_003_000_000L);
    }

    @Test
    void shouldNeverChargeALaterTimeThanThePull() {
        // A stamp ahead of this host's clock (clock-sync error of a remote rig).
        assertThat(LslSource.earliestArrivalNs(1.010, 1_002_000_000L, 1_005_000_000L))
                .isEqualTo(1_005_000_000L);
    }
}
