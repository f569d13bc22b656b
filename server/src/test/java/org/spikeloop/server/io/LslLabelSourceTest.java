package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.SampleRing;

/**
 * LslLabelSource (continuous targets) against real liblsl outlets, with a manual clock for stalls.
 */
class LslLabelSourceTest {
    private static final long STALL_NS = 500_000_000L;

    private final AtomicLong nowNs = new AtomicLong(100_000_000_000L); // 100 s
    private final EngineClock clock = nowNs::get;
    private final SampleRing ring = new SampleRing(2, 64);
    private final EngineCounters engineCounters = new EngineCounters();
    private final LslLabelCounters counters = new LslLabelCounters();
    private Outlet outlet;
    private LslLabelSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.onClose();
        }
        if (outlet != null) {
            outlet.close();
        }
    }

    private void open(ChannelFormat format, int channels, double rateHz) {
        String name = LslPeers.unique("label-source");
        outlet = LslPeers.outlet(name, format, channels, rateHz);
        Inlet inlet = LslPeers.inlet(name);
        source =
                new LslLabelSource(
                        "s-test", inlet, ring, clock, engineCounters, counters, null, STALL_NS);
    }

    private record Row(float[] values, double stampS) {}

    private Row take() {
        assertThat(ring.isEmpty()).as("a row in the label ring").isFalse();
        float[] v = new float[ring.width()];
        double ts = ring.peekSourceTimestampS();
        ring.readInto(v);
        ring.advance();
        return new Row(v, ts);
    }

    private void pushTargets(float[] values, double... stamps) {
        outlet.pushChunk(values, stamps, stamps.length);
    }

    @Test
    void shouldOfferContinuousTargetsWithTheirStamps() {
        open(ChannelFormat.FLOAT32, 2, 100);
        pushTargets(new float[] {0.5f, -0.5f, 0.25f, 1f}, 100.0, 100.01);
        LslPeers.until(source::doWork, () -> ring.available() == 2);
        Row a = take();
        Row b = take();
        assertThat(a.values()).containsExactly(0.5f, -0.5f);
        assertThat(a.stampS()).isEqualTo(100.0);
        assertThat(b.values()).containsExactly(0.25f, 1f);
        assertThat(b.stampS()).isEqualTo(100.01);
        assertThat(engineCounters.labelsIn.get()).isEqualTo(2);
    }

    @Test
    void shouldRejectNonFiniteLabelsAndCountThem() {
        open(ChannelFormat.FLOAT32, 2, 100);
        pushTargets(new float[] {Float.NaN, 0f, 1f, Float.POSITIVE_INFINITY, 3f, 4f}, 1, 2, 3);
        LslPeers.until(source::doWork, () -> ring.available() == 1);
        assertThat(take().values()).containsExactly(3f, 4f);
        assertThat(counters.rejectedNonFinite.get()).isEqualTo(2);
        assertThat(engineCounters.labelsIn.get()).isEqualTo(1);
    }

    @Test
    void shouldRejectOutOfOrderTimestampsAndCountThem() {
        open(ChannelFormat.FLOAT32, 2, 100);
        pushTargets(new float[] {1f, 1f, 2f, 2f, 3f, 3f}, 10.0, 9.0, 10.0);
        LslPeers.until(source::doWork, () -> counters.rejectedOutOfOrder.get() == 1);
        LslPeers.until(source::doWork, () -> ring.available() == 2);
        assertThat(take().values()).containsExactly(1f, 1f);
        assertThat(take().values()).containsExactly(3f, 3f); // an equal stamp is in order
    }

    @Test
    void shouldCountAStallAndEndTheLabelWhenContinuousLabelsStop() {
        open(ChannelFormat.FLOAT32, 2, 100);
        pushTargets(new float[] {1f, 2f}, 100.0);
        LslPeers.until(source::doWork, () -> ring.available() == 1);
        take();
        nowNs.addAndGet(STALL_NS + 1);
        source.doWork();
        assertThat(counters.stalled).isTrue();
        assertThat(counters.stalls.get()).isEqualTo(1);
        Row clear = take();
        assertThat(clear.values()[0]).isNaN(); // EngineAgent.CLEAR_LABEL
        assertThat(clear.stampS()).isEqualTo(nowNs.get() * 1e-9);
        source.doWork();
        assertThat(counters.stalls.get()).as("one stall per silence").isEqualTo(1);
        pushTargets(new float[] {3f, 4f}, 101.0);
        LslPeers.until(source::doWork, () -> ring.available() == 1);
        assertThat(counters.stalled).isFalse();
        assertThat(take().values()).containsExactly(3f, 4f);
    }
}
