package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.TrialEventRing;
import org.spikeloop.server.recording.SessionRecording;

/** LslMarkerSource against real liblsl marker outlets (strings and numbers). */
class LslMarkerSourceTest {
    private final AtomicLong nowNs = new AtomicLong(100_000_000_000L); // 100 s
    private final EngineClock clock = nowNs::get;
    private final TrialEventRing ring = new TrialEventRing(64);
    private final EngineCounters engineCounters = new EngineCounters();
    private final LslLabelCounters counters = new LslLabelCounters();
    private final AtomicBoolean present = new AtomicBoolean(true);
    private Outlet outlet;
    private LslMarkerSource source;
    private static byte[] sink;

    @TempDir Path dir;

    @AfterEach
    void close() {
        if (source != null) {
            source.onClose();
        }
        if (outlet != null) {
            outlet.close();
        }
    }

    /** left/769 → class 0, right/770 → 1, "rest" ends, "768" is ignored. */
    private static TrialProtocol protocol(double trialS, double offsetS) {
        return new TrialProtocol(
                Map.of("left", 0, "769", 0, "right", 1, "770", 1),
                List.of("L", "R"),
                trialS,
                offsetS,
                List.of("rest", "800"),
                List.of("768"));
    }

    /** The source under test on {@code inlet}, with this test's ring, clock and counters. */
    private LslMarkerSource source(TrialProtocol p, Inlet inlet, SessionRecording recording) {
        return new LslMarkerSource(
                "s-test",
                p,
                inlet,
                ring,
                clock,
                engineCounters,
                counters,
                recording,
                present::get,
                null);
    }

    private void open(TrialProtocol p, ChannelFormat format, SessionRecording recording) {
        String name = LslPeers.unique("marker-source");
        outlet = LslPeers.outlet(name, format, 1, 0);
        Inlet inlet = LslPeers.inlet(name);
        source = source(p, inlet, recording);
    }

    private void push(String marker, double stampS) {
        outlet.pushChunk(new String[] {marker}, new double[] {stampS}, 1);
    }

    private record Event(byte kind, double stampS, double endS, int trial, int cls, String cue) {}

    private Event take() {
        assertThat(ring.isEmpty()).as("an event in the ring").isFalse();
        Event e =
                new Event(
                        ring.peekKind(),
                        ring.peekStampS(),
                        ring.peekEndS(),
                        ring.peekTrial(),
                        ring.peekClass(),
                        ring.peekCue());
        ring.advance();
        return e;
    }

    @Test
    void shouldOpenTheCuesWindowWithItsClassStartOffsetAndLength() {
        open(protocol(2.0, 0.5), ChannelFormat.STRING, null);
        push("right", 100.0);
        LslPeers.until(source::doWork, () -> !ring.isEmpty());
        Event e = take();
        assertThat(e.kind()).isEqualTo(TrialEventRing.OPEN);
        assertThat(e.stampS()).isEqualTo(100.5);
        assertThat(e.endS()).isEqualTo(102.5);
        assertThat(e.cls()).isEqualTo(1);
        assertThat(e.trial()).isZero();
        assertThat(e.cue()).isEqualTo("right");
        assertThat(engineCounters.labelsIn.get()).isEqualTo(1);
        assertThat(ring.isEmpty()).as("the window's own end needs no event").isTrue();
    }

    @Test
    void shouldEndTheWindowAtAnEndCueAndWhereTheNextCuesWindowStarts() {
        open(protocol(5.0, 0.0), ChannelFormat.STRING, null);
        push("left", 100.0);
        push("right", 100.2); // cuts the left window at 100.2
        push("rest", 100.3); // ends the right window
        push("rest", 100.4); // nothing open: harmless
        LslPeers.until(source::doWork, () -> engineCounters.labelsIn.get() == 2);
        LslPeers.until(source::doWork, () -> ring.available() == 4);
        Event left = take();
        Event cut = take();
        Event right = take();
        Event end = take();
        assertThat(left.cls()).isZero();
        assertThat(cut.kind()).isEqualTo(TrialEventRing.CLOSE);
        assertThat(cut.stampS()).isEqualTo(100.2);
        assertThat(right.kind()).isEqualTo(TrialEventRing.OPEN);
        assertThat(right.trial()).isEqualTo(1);
        assertThat(end.kind()).isEqualTo(TrialEventRing.CLOSE);
        assertThat(end.stampS()).isEqualTo(100.3);
        source.doWork();
        assertThat(ring.isEmpty()).isTrue();
        assertThat(counters.unknownCues.get()).isZero();
    }

    @Test
    void shouldMatchNumericMarkersByValue() {
        open(protocol(1.0, 0.0), ChannelFormat.FLOAT32, null);
        outlet.pushChunk(
                new float[] {768f, 770f, 800f, 12f}, new double[] {99, 100, 100.5, 101}, 4);
        LslPeers.until(source::doWork, () -> counters.unknownCues.get() == 1);
        Event open = take();
        assertThat(open.cls()).isEqualTo(1);
        assertThat(open.cue()).isEqualTo("770");
        Event end = take();
        assertThat(end.kind()).isEqualTo(TrialEventRing.CLOSE);
        assertThat(end.stampS()).isEqualTo(100.5);
        assertThat(counters.lastUnknownCue).isEqualTo("12");
        assertThat(ring.isEmpty()).as("768 is ignored").isTrue();
    }

    @Test
    void shouldCountNonFiniteNumericMarkersAndOutOfOrderStamps() {
        open(protocol(1.0, 0.0), ChannelFormat.DOUBLE64, null);
        outlet.pushChunk(new double[] {Double.NaN, 769, 770}, new double[] {100, 101, 100.5}, 3);
        LslPeers.until(source::doWork, () -> counters.rejectedOutOfOrder.get() == 1);
        assertThat(counters.rejectedNonFinite.get()).isEqualTo(1);
        assertThat(take().cls()).isZero();
        assertThat(ring.isEmpty()).isTrue();
    }

    @Test
    void shouldCountAStallAndEndTheOpenWindowWhenTheStreamVanishes() {
        open(protocol(30.0, 0.0), ChannelFormat.STRING, null);
        push("left", 100.0);
        LslPeers.until(source::doWork, () -> !ring.isEmpty());
        take();
        nowNs.set(101_000_000_000L);
        present.set(false);
        source.doWork();
        assertThat(counters.stalled).isTrue();
        assertThat(counters.stalls.get()).isEqualTo(1);
        Event end = take();
        assertThat(end.kind()).isEqualTo(TrialEventRing.CLOSE);
        assertThat(end.stampS()).isEqualTo(101.0);
        source.doWork();
        assertThat(counters.stalls.get()).as("one stall per disappearance").isEqualTo(1);
        present.set(true);
        source.doWork();
        assertThat(counters.stalled).isFalse();
    }

    @Test
    void shouldRecordEveryMarkerAsItArrivedUnderTheSourcesHeader() throws Exception {
        Path file = dir.resolve("m.xdf");
        String name = LslPeers.unique("marker-source");
        SessionRecording recording = recordedSource(name, file, ChannelFormat.INT32);
        outlet.pushChunk(new int[] {768, 769, 7}, new double[] {10, 11, 12}, 3);
        LslPeers.until(source::doWork, () -> counters.unknownCues.get() == 1);
        recording.close();
        XdfRecording xdf = XdfReader.read(file);
        XdfStream markers =
                xdf.streams().stream()
                        .filter(s -> s.info().name().equals(name))
                        .findFirst()
                        .orElseThrow();
        assertThat(markers.info().format()).isEqualTo(ChannelFormat.INT32);
        assertThat(markers.info().sourceId()).isEqualTo(name + "-src");
        assertThat((int[]) markers.samples().toArray()).containsExactly(768, 769, 7);
        assertThat(markers.timestamps()).containsExactly(10.0, 11.0, 12.0);
        assertThat(xdf.streams().stream().map(s -> s.info().name()))
                .contains("samples", "outputs", "trials", "decisions")
                .doesNotContain("labels");
        assertThat(Files.size(file)).isPositive();
    }

    /**
     * A marker stream is silent between cues, and in the default co-located mode its source runs on
     * the engine thread every cycle: a cycle that pulls nothing must allocate nothing. Rounds of
     * cycles after warm-up on the thread's allocation counter (checked to move first); the JVM
     * itself occasionally charges a few bytes to the thread, so: most rounds exactly 0 and none
     * near a byte per cycle.
     */
    @Test
    void shouldAllocateNothingInACycleThatPullsNoMarker() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadAllocatedBytes();
        sink = new byte[1024];
        assertThat(threads.getCurrentThreadAllocatedBytes() - start)
                .as("the allocation counter sees a 1 KiB array")
                .isGreaterThanOrEqualTo(1024);

        open(protocol(2.0, 0.0), ChannelFormat.STRING, null);
        assertThat(outlet.waitForConsumers(5.0)).isTrue();
        for (int i = 0; i < 20_000; i++) {
            assertThat(source.doWork()).isZero();
        }
        int perRound = 10_000;
        long[] bytes = new long[10];
        int zeroRounds = 0;
        for (int r = 0; r < bytes.length; r++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            int pulled = 0;
            for (int i = 0; i < perRound; i++) {
                pulled += source.doWork();
            }
            bytes[r] = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(pulled).isZero();
            if (bytes[r] == 0) {
                zeroRounds++;
            }
        }
        System.out.printf(
                "marker source: bytes per round of %d empty cycles %s%n",
                perRound, Arrays.toString(bytes));
        assertThat(zeroRounds).as("rounds of 0 bytes: %s", Arrays.toString(bytes)).isGreaterThan(5);
        for (long b : bytes) {
            assertThat(b).as("bytes per round of %d cycles", perRound).isLessThan(perRound);
        }
        // and it still hears a cue
        push("left", 100.0);
        LslPeers.until(source::doWork, () -> !ring.isEmpty());
        assertThat(take().cue()).isEqualTo("left");
    }

    /** A chunk of string markers, non-ASCII ones among them, reaches segmenter and file exactly. */
    @Test
    void shouldTakeAChunkOfStringMarkersExactlyAsSent() throws Exception {
        Path file = dir.resolve("s.xdf");
        String name = LslPeers.unique("marker-source");
        SessionRecording recording = recordedSource(name, file, ChannelFormat.STRING);
        String unknown = "r\u00e9sum\u00e9 \u4e2d\u6587 \uD83D\uDE80";
        String[] sent = {"768", "left", unknown, "rest", "right"};
        double[] stamps = {10.0, 11.0, 11.25, 11.5, 12.0};
        outlet.pushChunk(sent, stamps, sent.length);
        LslPeers.until(source::doWork, () -> engineCounters.labelsIn.get() == 2);
        Event left = take();
        Event end = take();
        Event right = take();
        assertThat(left.kind()).isEqualTo(TrialEventRing.OPEN);
        assertThat(left.stampS()).isEqualTo(11.0);
        assertThat(left.cue()).isEqualTo("left");
        assertThat(end.kind()).isEqualTo(TrialEventRing.CLOSE);
        assertThat(end.stampS()).isEqualTo(11.5);
        assertThat(right.cls()).isEqualTo(1);
        assertThat(right.stampS()).isEqualTo(12.0);
        assertThat(counters.unknownCues.get()).isEqualTo(1);
        assertThat(counters.lastUnknownCue).isEqualTo(unknown);
        recording.close();
        XdfStream markers =
                XdfReader.read(file).streams().stream()
                        .filter(s -> s.info().name().equals(name))
                        .findFirst()
                        .orElseThrow();
        assertThat(markers.info().format()).isEqualTo(ChannelFormat.STRING);
        assertThat((String[]) markers.samples().toArray()).containsExactly(sent);
        assertThat(markers.timestamps()).containsExactly(stamps);
    }

    /**
     * A marker source on a new outlet {@code name} of {@code format} (kept in {@link #outlet}) that
     * records into {@code file} under the stream's own header (set as {@link #source}).
     */
    private SessionRecording recordedSource(String name, Path file, ChannelFormat format) {
        outlet = LslPeers.outlet(name, format, 1, 0);
        Inlet inlet = LslPeers.inlet(name);
        SessionRecording recording =
                SessionRecording.open(
                        "s-test",
                        file,
                        2,
                        100,
                        2,
                        100,
                        "",
                        true,
                        inlet.fullInfo(5.0),
                        List.of("L", "R"),
                        XdfRecorder.Config.defaults());
        source = source(protocol(1.0, 0.0), inlet, recording);
        return recording;
    }
}
