package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FramePublisherTest {
    /** A sink that records steps; readiness and cancellation are set by the test. */
    private static final class RecordingSink implements FrameSink {
        final List<Long> steps = new ArrayList<>();
        boolean ready = true;
        boolean cancelled;
        boolean completed;
        long lastDropped;

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
        }

        @Override
        public void complete() {
            completed = true;
        }

        String failedWith;

        @Override
        public void fail(String reason) {
            failedWith = reason;
        }
    }

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
