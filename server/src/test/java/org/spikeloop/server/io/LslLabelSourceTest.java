package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.SampleRing;

/** LslLabelSource against real liblsl outlets, with a manual clock for stalls and trial ends. */
class LslLabelSourceTest {
    private static final long STALL_NS = 500_000_000L;

    private final AtomicLong nowNs = new AtomicLong(100_000_000_000L); // 100 s
    private final EngineClock clock = nowNs::get;
    private final SampleRing ring = new SampleRing(2, 64);
    private final EngineCounters engineCounters = new EngineCounters();
    private final LslLabelCounters counters = new LslLabelCounters();
    private final AtomicBoolean present = new AtomicBoolean(true);
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

    private static LslLabelConfig continuous() {
        return new LslLabelConfig(
                "kin", "", LslLabelConfig.Kind.CONTINUOUS, 0, Map.of(), 0, List.of());
    }

    private static LslLabelConfig markers(double trialS) {
        return new LslLabelConfig(
                "cues",
                "",
                LslLabelConfig.Kind.MARKERS,
                0,
                Map.of("left", 0, "right", 1),
                trialS,
                List.of("rest"));
    }

    private void open(LslLabelConfig config, ChannelFormat format, int channels, double rateHz) {
        String name = LslPeers.unique("label-source");
        outlet = LslPeers.outlet(name, format, channels, rateHz);
        Inlet inlet = LslPeers.inlet(name);
        source =
                new LslLabelSource(
                        "s-test",
                        config,
                        inlet,
                        ring,
                        clock,
                        engineCounters,
                        counters,
                        null,
                        config.kind() == LslLabelConfig.Kind.MARKERS ? present::get : null,
                        null,
                        STALL_NS);
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

    private void pushCue(String cue, double stampS) {
        outlet.pushChunk(new String[] {cue}, new double[] {stampS}, 1);
    }

    @Test
    void shouldOfferContinuousTargetsWithTheirStamps() {
        open(continuous(), ChannelFormat.FLOAT32, 2, 100);
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
        open(continuous(), ChannelFormat.FLOAT32, 2, 100);
        pushTargets(new float[] {Float.NaN, 0f, 1f, Float.POSITIVE_INFINITY, 3f, 4f}, 1, 2, 3);
        LslPeers.until(source::doWork, () -> ring.available() == 1);
        assertThat(take().values()).containsExactly(3f, 4f);
        assertThat(counters.rejectedNonFinite.get()).isEqualTo(2);
        assertThat(engineCounters.labelsIn.get()).isEqualTo(1);
    }

    @Test
    void shouldRejectOutOfOrderTimestampsAndCountThem() {
        open(continuous(), ChannelFormat.FLOAT32, 2, 100);
        pushTargets(new float[] {1f, 1f, 2f, 2f, 3f, 3f}, 10.0, 9.0, 10.0);
        LslPeers.until(source::doWork, () -> counters.rejectedOutOfOrder.get() == 1);
        LslPeers.until(source::doWork, () -> ring.available() == 2);
        assertThat(take().values()).containsExactly(1f, 1f);
        assertThat(take().values()).containsExactly(3f, 3f); // an equal stamp is in order
    }

    @Test
    void shouldCountAStallAndEndTheLabelWhenContinuousLabelsStop() {
        open(continuous(), ChannelFormat.FLOAT32, 2, 100);
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

    @Test
    void shouldStartAOneHotTrialOnACueAndEndItAfterTrialS() {
        open(markers(0.5), ChannelFormat.STRING, 1, 0);
        pushCue("right", 100.0);
        LslPeers.until(source::doWork, () -> ring.available() == 1);
        Row cue = take();
        assertThat(cue.values()).containsExactly(0f, 1f);
        assertThat(cue.stampS()).isEqualTo(100.0);
        assertThat(counters.inTrial).isTrue();
        nowNs.set(100_499_000_000L);
        source.doWork();
        assertThat(ring.isEmpty()).as("window still open").isTrue();
        nowNs.set(100_500_000_000L);
        source.doWork();
        Row end = take();
        assertThat(end.values()[0]).isNaN();
        assertThat(end.stampS()).isEqualTo(100.5);
        assertThat(counters.inTrial).isFalse();
    }

    @Test
    void shouldEndTheWindowAtTheNextCueOrAnEndCue() {
        open(markers(5.0), ChannelFormat.STRING, 1, 0);
        pushCue("left", 100.0);
        pushCue("right", 100.2); // replaces the left trial: no clear in between
        pushCue("rest", 100.3);
        LslPeers.until(source::doWork, () -> ring.available() == 3);
        assertThat(take().values()).containsExactly(1f, 0f);
        assertThat(take().values()).containsExactly(0f, 1f);
        Row end = take();
        assertThat(end.values()[0]).isNaN();
        assertThat(end.stampS()).isEqualTo(100.3);
        assertThat(counters.inTrial).isFalse();
    }

    @Test
    void shouldCloseAnExpiredWindowBeforeTheNextCue() {
        open(markers(0.1), ChannelFormat.STRING, 1, 0);
        pushCue("left", 100.0);
        pushCue("right", 100.5);
        LslPeers.until(source::doWork, () -> ring.available() == 3);
        take();
        Row end = take();
        assertThat(end.values()[0]).isNaN();
        assertThat(end.stampS()).isEqualTo(100.1);
        assertThat(take().stampS()).isEqualTo(100.5);
    }

    @Test
    void shouldCountUnknownCuesAndKeepTheLastOne() {
        open(markers(1.0), ChannelFormat.STRING, 1, 0);
        pushCue("up", 100.0);
        pushCue("down", 100.1);
        LslPeers.until(source::doWork, () -> counters.unknownCues.get() == 2);
        assertThat(counters.lastUnknownCue).isEqualTo("down");
        assertThat(ring.isEmpty()).isTrue();
        assertThat(counters.inTrial).isFalse();
    }

    @Test
    void shouldCountAStallAndCloseTheTrialWhenTheMarkerStreamVanishes() {
        open(markers(30.0), ChannelFormat.STRING, 1, 0);
        pushCue("left", 100.0);
        LslPeers.until(source::doWork, () -> ring.available() == 1);
        take();
        nowNs.set(101_000_000_000L);
        present.set(false);
        source.doWork();
        assertThat(counters.stalled).isTrue();
        assertThat(counters.stalls.get()).isEqualTo(1);
        assertThat(counters.inTrial).isFalse();
        Row end = take();
        assertThat(end.values()[0]).isNaN();
        assertThat(end.stampS()).isEqualTo(101.0);
        present.set(true);
        source.doWork();
        assertThat(counters.stalled).isFalse();
        assertThat(counters.stalls.get()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAMarkerSourceWithoutAPresenceCheck() {
        String name = LslPeers.unique("label-source");
        outlet = LslPeers.outlet(name, ChannelFormat.STRING, 1, 0);
        Inlet inlet = LslPeers.inlet(name);
        try {
            assertThatThrownBy(
                            () ->
                                    new LslLabelSource(
                                            "s",
                                            markers(1),
                                            inlet,
                                            ring,
                                            clock,
                                            engineCounters,
                                            counters,
                                            null,
                                            null,
                                            null,
                                            STALL_NS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("presence");
        } finally {
            inlet.close();
        }
    }
}
