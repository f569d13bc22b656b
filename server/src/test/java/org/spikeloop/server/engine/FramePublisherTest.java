package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class FramePublisherTest {
    /**
     * A sink that records steps; readiness and cancellation are set by the test. Like a batched
     * watcher it gathers what it is sent into a message, which {@link #flush}, {@link #complete}
     * and {@link #fail} send: {@link #messages} holds each message's size and {@link #sentAtNs} the
     * clock's reading then.
     */
    private static final class RecordingSink implements FrameSink {
        final List<Long> steps = new ArrayList<>();
        final List<Integer> messages = new ArrayList<>();
        final List<Long> sentAtNs = new ArrayList<>();
        final ManualClock clock;
        int gathered;
        boolean ready = true;
        boolean cancelled;
        boolean completed;
        long lastDropped;

        RecordingSink() {
            this(new ManualClock());
        }

        RecordingSink(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void send(Frame frame, long droppedSoFar) {
            steps.add(frame.step);
            lastDropped = droppedSoFar;
            gathered++;
        }

        @Override
        public void flush() {
            if (gathered > 0) {
                messages.add(gathered);
                sentAtNs.add(clock.nowNs);
                gathered = 0;
            }
        }

        @Override
        public void complete() {
            flush();
            completed = true;
        }

        String failedWith;

        @Override
        public void fail(String reason) {
            flush();
            failedWith = reason;
        }
    }

    /** A sink that counts frames and flushes and allocates nothing. */
    private static final class CountingSink implements FrameSink {
        long frames;
        long flushes;

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void send(Frame frame, long droppedSoFar) {
            frames++;
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void complete() {}
    }

    private static final long MS = 1_000_000;

    private static void publish(FrameRing ring, int n) {
        float[] out = new float[2];
        for (int i = 0; i < n; i++) {
            ring.publish(out, false, out, 0, 0, 0, 0, false, 0);
        }
    }

    @Test
    void shouldCountDropsForASinkThatIsNotReadyWithoutAffectingAReadyOne() {
        FrameRing ring = new FrameRing(2, 16);
        ManualClock clock = new ManualClock();
        AtomicLong dropped = new AtomicLong();
        FramePublisher p = new FramePublisher("t", ring, clock, 4, dropped, new AtomicLong());
        RecordingSink fast = new RecordingSink();
        RecordingSink stuck = new RecordingSink();
        stuck.ready = false;
        assertThat(p.add(fast, 0)).isTrue();
        assertThat(p.add(stuck, 0)).isTrue();
        for (int k = 0; k < 10; k++) {
            publish(ring, 10);
            p.doWork();
        }
        assertThat(fast.steps).hasSize(100);
        assertThat(dropped.get()).isGreaterThan(80);
        stuck.ready = true;
        p.doWork();
        assertThat(stuck.steps).hasSize(1);
        assertThat(stuck.lastDropped).isEqualTo(dropped.get());
    }

    @Test
    void shouldSendAtMostTheRequestedRate() {
        FrameRing ring = new FrameRing(2, 64);
        ManualClock clock = new ManualClock();
        FramePublisher p =
                new FramePublisher("t", ring, clock, 4, new AtomicLong(), new AtomicLong());
        RecordingSink sink = new RecordingSink();
        p.add(sink, 10); // one frame per 100 ms
        for (int ms = 0; ms < 1000; ms++) {
            publish(ring, 1);
            clock.nowNs += 1_000_000;
            p.doWork();
        }
        assertThat(sink.steps).hasSizeBetween(9, 11);
    }

    @Test
    void shouldFlushASinkWithoutABatchIntervalAtTheEndOfEveryPassThatGaveItFrames() {
        FrameRing ring = new FrameRing(2, 256);
        ManualClock clock = new ManualClock();
        FramePublisher p =
                new FramePublisher("t", ring, clock, 4, new AtomicLong(), new AtomicLong());
        RecordingSink sink = new RecordingSink(clock);
        p.add(sink, 0);
        for (int n : new int[] {1, 10, 0, 3}) {
            publish(ring, n);
            p.doWork();
            clock.nowNs += MS;
        }
        assertThat(sink.messages).containsExactly(1, 10, 3);
    }

    /**
     * A sample-by-sample source gives one frame a pass; with a 20-ms interval they go out twenty to
     * a message, every one of them, in order, and no message sooner than 20 ms after the last.
     */
    @Test
    void shouldGatherEveryFrameInOrderIntoAMessageAtMostEveryBatchInterval() {
        FrameRing ring = new FrameRing(2, 16); // smaller than an interval's frames: they wait in
        ManualClock clock = new ManualClock(); // the sink's message, not in the ring
        AtomicLong dropped = new AtomicLong();
        FramePublisher p = new FramePublisher("t", ring, clock, 4, dropped, new AtomicLong());
        RecordingSink sink = new RecordingSink(clock);
        assertThat(p.add(sink, 0, 20, true)).isTrue();
        for (int ms = 0; ms < 1000; ms++) {
            publish(ring, 1);
            p.doWork();
            clock.nowNs += MS;
        }
        assertThat(sink.messages.get(0))
                .isEqualTo(1); // the first frame after a quiet spell: at once
        assertThat(sink.messages.subList(1, sink.messages.size())).hasSize(49).containsOnly(20);
        for (int i = 1; i < sink.sentAtNs.size(); i++) {
            assertThat(sink.sentAtNs.get(i) - sink.sentAtNs.get(i - 1)).isEqualTo(20 * MS);
        }
        p.onClose(); // the frames still gathered go out with the end of the stream
        assertThat(sink.messages.get(sink.messages.size() - 1)).isEqualTo(19);
        assertThat(sink.steps).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(sink.steps.get(i)).isEqualTo(i);
        }
        assertThat(dropped.get()).isZero();
    }

    @Test
    void shouldSendAGatheredMessageWhenItIsFullOrDueEvenWithoutANewFrame() {
        FrameRing ring = new FrameRing(2, 256);
        ManualClock clock = new ManualClock();
        FramePublisher p =
                new FramePublisher("t", ring, clock, 4, new AtomicLong(), new AtomicLong());
        RecordingSink sink = new RecordingSink(clock);
        p.add(sink, 0, FramePublisher.MAX_BATCH_INTERVAL_MS, true);
        publish(ring, 1);
        p.doWork();
        publish(ring, 200); // a burst: full messages go out at once, the rest waits
        for (int pass = 0; pass < 5; pass++) {
            p.doWork();
        }
        assertThat(sink.messages).containsExactly(1, 64, 64, 64);
        clock.nowNs += 99 * MS;
        p.doWork();
        assertThat(sink.messages).hasSize(4);
        clock.nowNs += MS; // due: the delivery thread's next pass sends it, frame or no frame
        p.doWork();
        assertThat(sink.messages).containsExactly(1, 64, 64, 64, 8);
        assertThat(sink.steps).hasSize(201);
    }

    /** The rate limit selects the frames (one per 10 ms), the interval gathers them (per 50 ms). */
    @Test
    void shouldGatherTheFramesARateLimitSelects() {
        FrameRing ring = new FrameRing(2, 64);
        ManualClock clock = new ManualClock();
        FramePublisher p =
                new FramePublisher("t", ring, clock, 4, new AtomicLong(), new AtomicLong());
        RecordingSink sink = new RecordingSink(clock);
        p.add(sink, 100, 50, true);
        for (int ms = 0; ms < 1000; ms++) {
            publish(ring, 1);
            p.doWork();
            clock.nowNs += MS;
        }
        p.onClose();
        assertThat(sink.steps).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(sink.steps.get(i)).isEqualTo(10L * i);
        }
        // 1 at once, then 5 per 50 ms, and the last 4 with the end of the stream
        assertThat(sink.messages.subList(1, sink.messages.size() - 1)).hasSize(19).containsOnly(5);
        assertThat(sink.messages.get(sink.messages.size() - 1)).isEqualTo(4);
    }

    /**
     * A gathered message waits for a sink that is not ready (flow control); the frames the ring
     * overwrites meanwhile are counted as drops, as without an interval.
     */
    @Test
    void shouldKeepAGatheredMessageForASinkThatIsNotReadyAndCountTheOverwrittenFramesAsDrops() {
        FrameRing ring = new FrameRing(2, 16);
        ManualClock clock = new ManualClock();
        AtomicLong dropped = new AtomicLong();
        FramePublisher p = new FramePublisher("t", ring, clock, 4, dropped, new AtomicLong());
        RecordingSink sink = new RecordingSink(clock);
        p.add(sink, 0, 20, true);
        for (int ms = 0; ms < 10; ms++) {
            publish(ring, 1);
            p.doWork();
            clock.nowNs += MS;
        }
        assertThat(sink.messages).containsExactly(1); // 9 frames gathered
        sink.ready = false;
        for (int ms = 10; ms < 110; ms++) {
            publish(ring, 1);
            p.doWork();
            clock.nowNs += MS;
        }
        assertThat(sink.messages).containsExactly(1);
        assertThat(dropped.get()).isGreaterThan(80);
        sink.ready = true;
        p.doWork();
        // The 9 gathered frames, then what the ring still holds: the newest frames, after the gap.
        assertThat(sink.messages).hasSize(2);
        assertThat(sink.messages.get(1)).isGreaterThan(9);
        assertThat(sink.steps.subList(0, 10))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        List<Long> after = sink.steps.subList(10, sink.steps.size());
        assertThat(after.get(0)).isGreaterThan(9L);
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i)).isEqualTo(after.get(i - 1) + 1);
        }
        assertThat(after.get(after.size() - 1)).isEqualTo(109L);
        assertThat(sink.steps.size() + dropped.get()).isEqualTo(110);
        assertThat(sink.lastDropped).isEqualTo(dropped.get());
    }

    @Test
    void shouldRefuseABatchIntervalBeyondItsBound() {
        FramePublisher p =
                new FramePublisher(
                        "t",
                        new FrameRing(2, 16),
                        new ManualClock(),
                        4,
                        new AtomicLong(),
                        new AtomicLong());
        assertThatThrownBy(
                        () ->
                                p.add(
                                        new RecordingSink(),
                                        0,
                                        FramePublisher.MAX_BATCH_INTERVAL_MS + 1,
                                        true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch interval must be within [0, 100] ms, got 101");
        assertThat(p.size()).isZero();
    }

    /**
     * The delivery thread's own part of a pass allocates nothing per frame, with a batch interval
     * (alone and under a rate limit) as without one: cursor reads, the gathering count, the clock.
     * Rounds of 10 000 one-frame passes after warm-up; the JVM occasionally charges a few bytes to
     * the thread, so: most rounds exactly 0 bytes, and none near one object per frame (16 B).
     */
    @Test
    void shouldAllocateNothingPerFrameWhileGathering() {
        FrameRing ring = new FrameRing(2, 256);
        ManualClock clock = new ManualClock();
        FramePublisher p =
                new FramePublisher("t", ring, clock, 4, new AtomicLong(), new AtomicLong());
        CountingSink every = new CountingSink();
        CountingSink gathered = new CountingSink();
        CountingSink selected = new CountingSink();
        p.add(every, 0, 0, true);
        p.add(gathered, 0, 20, true);
        p.add(selected, 100, 50, true);
        float[] out = new float[2];
        passes(p, ring, clock, out, 50_000); // warm-up: JIT-compile the pass
        int rounds = 7;
        int perRound = 10_000;
        long[] bytes = new long[rounds];
        int zeroRounds = 0;
        for (int r = 0; r < rounds; r++) {
            long before = AllocationMeter.allocatedBytes();
            passes(p, ring, clock, out, perRound);
            bytes[r] = AllocationMeter.allocatedBytes() - before;
            zeroRounds += bytes[r] == 0 ? 1 : 0;
        }
        System.out.printf(
                "publisher pass allocation per round of %d frames (bytes): %s%n",
                perRound, java.util.Arrays.toString(bytes));
        long frames = 50_000 + (long) rounds * perRound;
        assertThat(every.frames).isEqualTo(frames);
        assertThat(gathered.frames).isEqualTo(frames);
        assertThat(gathered.flushes).isBetween(frames / 20, frames / 20 + 1);
        assertThat(selected.flushes).isBetween(frames / 50, frames / 50 + 1);
        assertThat(zeroRounds).isGreaterThan(rounds / 2);
        for (long b : bytes) {
            assertThat((double) b / perRound).isLessThan(0.5);
        }
    }

    private static void passes(
            FramePublisher p, FrameRing ring, ManualClock clock, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            ring.publish(out, false, out, 0, 0, 0, 0, false, 0);
            p.doWork();
            clock.nowNs += MS;
        }
    }

    @Test
    void shouldRefuseSinksBeyondTheLimitAndDropCancelledOnes() {
        FrameRing ring = new FrameRing(2, 16);
        FramePublisher p =
                new FramePublisher(
                        "t", ring, new ManualClock(), 1, new AtomicLong(), new AtomicLong());
        RecordingSink a = new RecordingSink();
        assertThat(p.add(a, 0)).isTrue();
        assertThat(p.add(new RecordingSink(), 0)).isFalse();
        a.cancelled = true;
        p.doWork();
        assertThat(p.size()).isZero();
    }

    @Test
    void shouldCompleteEverySinkOnClose() {
        FrameRing ring = new FrameRing(2, 16);
        FramePublisher p =
                new FramePublisher(
                        "t", ring, new ManualClock(), 4, new AtomicLong(), new AtomicLong());
        RecordingSink a = new RecordingSink();
        p.add(a, 0);
        p.onClose();
        assertThat(a.completed).isTrue();
        assertThat(p.add(new RecordingSink(), 0)).isFalse();
    }

    @Test
    void shouldSendWhatWasPublishedThenEndEverySinkWithTheFailureOnceTheSessionFailed() {
        FrameRing ring = new FrameRing(2, 16);
        FramePublisher p =
                new FramePublisher(
                        "t", ring, new ManualClock(), 4, new AtomicLong(), new AtomicLong());
        AtomicLong wakes = new AtomicLong();
        p.wakeWith(wakes::incrementAndGet);
        p.failureReason(() -> "session t is in ERROR: decoder step failed: boom");
        RecordingSink a = new RecordingSink();
        RecordingSink gone = new RecordingSink();
        p.add(a, 0);
        p.add(gone, 0);
        publish(ring, 3);
        gone.cancelled = true;
        p.sessionFailed(); // the engine's failure path: a flag and a wake-up, nothing else
        assertThat(wakes.get()).isEqualTo(1);
        assertThat(a.failedWith).isNull();
        p.doWork();
        assertThat(a.steps).hasSize(3); // the frames published before the failure
        assertThat(a.failedWith).isEqualTo("session t is in ERROR: decoder step failed: boom");
        assertThat(a.completed).isFalse();
        assertThat(gone.failedWith).isNull();
        assertThat(p.size()).isZero();
        assertThat(p.add(new RecordingSink(), 0)).isFalse();
        p.onClose(); // the stop that follows completes nothing more
        assertThat(a.completed).isFalse();
    }

    @Test
    void shouldEndEverySinkAtOnceFromTheFailureHookAndNeverTwice() {
        FrameRing ring = new FrameRing(2, 16);
        FramePublisher p =
                new FramePublisher(
                        "t", ring, new ManualClock(), 4, new AtomicLong(), new AtomicLong());
        p.failureReason(
                () -> {
                    throw new OutOfMemoryError("injected: no heap for the reason");
                });
        RecordingSink a = new RecordingSink();
        p.add(a, 0);
        p.failSinks(); // the hook: this publisher's thread failed or died
        assertThat(a.failedWith).isEqualTo("session t is in ERROR");
        a.failedWith = null;
        p.failSinks();
        p.sessionFailed();
        p.doWork();
        assertThat(a.failedWith).isNull();
    }
}
