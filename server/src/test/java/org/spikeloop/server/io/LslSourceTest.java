package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.SampleRing;

class LslSourceTest {
    @Test
    void shouldRepairAndCountBadStampsFromARealOutletBeforeTheRing() {
        String name = LslPeers.unique("lsl-source-stamps");
        double[] sent = {100.000, 100.001, 100.002, Double.NaN, 1e300, 99.0, 100.006, 100.007};
        SampleRing ring = new SampleRing(2, 64);
        EngineCounters counters = new EngineCounters();
        try (Outlet outlet = LslPeers.outlet(name, ChannelFormat.FLOAT32, 2, 1000)) {
            LslSource source =
                    new LslSource(
                            "s-test",
                            LslPeers.inlet(name),
                            new FrontEndFeed(ring, null),
                            1000,
                            EngineClock.system(),
                            counters,
                            null);
            try {
                outlet.pushChunk(new float[2 * sent.length], sent, sent.length);
                LslPeers.until(source::doWork, () -> ring.available() == sent.length);
            } finally {
                source.onClose();
            }
        }
        List<Double> got = new ArrayList<>();
        while (!ring.isEmpty()) {
            got.add(ring.peekSourceTimestampS());
            ring.advance();
        }
        // NaN, 1e300 and the descending 99.0 continue the 1 kHz grid; the rest arrive as sent.
        assertThat(got)
                .usingElementComparator((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b))
                .containsExactly(
                        100.000, 100.001, 100.002, 100.003, 100.004, 100.005, 100.006, 100.007);
        assertThat(counters.samplesTimestampsRepaired.get()).isEqualTo(3);
        assertThat(counters.samplesIn.get()).isEqualTo(sent.length);
    }

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
