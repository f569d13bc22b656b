package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionPublisherTest {
    /** A sink whose readiness the test sets, recording what it got. */
    private static final class Sink implements DecisionSink {
        boolean ready = true;
        boolean cancelled;
        boolean completed;
        final List<Integer> trials = new ArrayList<>();
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
        public void send(Decision d, long droppedSoFar) {
            trials.add(d.trial);
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

    private static void publish(DecisionRing r, int trial, boolean decided) {
        r.publish(
                trial,
                "c",
                0,
                trial,
                trial + 1,
                decided ? 3 : 0,
                new double[] {0.5, 0.5},
                decided ? 0 : Decision.NONE,
                0L,
                false);
    }

    @Test
    void shouldSendDecidedWindowsOnlyAndOnlyWhileTheSinkIsReady() {
        DecisionRing ring = new DecisionRing(2, 8);
        DecisionPublisher p = new DecisionPublisher("s", ring, 2);
        Sink sink = new Sink();
        assertThat(p.add(sink)).isTrue();
        publish(ring, 0, true);
        publish(ring, 1, false);
        publish(ring, 2, true);
        p.doWork();
        assertThat(sink.trials).containsExactly(0, 2);
        sink.ready = false;
        publish(ring, 3, true);
        p.doWork();
        assertThat(sink.trials).containsExactly(0, 2);
        sink.ready = true;
        p.doWork();
        assertThat(sink.trials).containsExactly(0, 2, 3);
    }

    @Test
    void shouldCountTheDecisionsASlowSinkLost() {
        DecisionRing ring = new DecisionRing(2, 4);
        DecisionPublisher p = new DecisionPublisher("s", ring, 2);
        Sink sink = new Sink();
        p.add(sink);
        sink.ready = false;
        for (int t = 0; t < 10; t++) {
            publish(ring, t, true);
        }
        sink.ready = true;
        p.doWork();
        assertThat(sink.trials).containsExactly(7, 8, 9);
        assertThat(sink.lastDropped).isEqualTo(7);
    }

    @Test
    void shouldLimitTheSinksDropCancelledOnesAndCompleteTheRestOnClose() {
        DecisionRing ring = new DecisionRing(2, 8);
        DecisionPublisher p = new DecisionPublisher("s", ring, 2);
        Sink a = new Sink();
        Sink b = new Sink();
        assertThat(p.add(a)).isTrue();
        assertThat(p.add(b)).isTrue();
        assertThat(p.add(new Sink())).isFalse();
        b.cancelled = true;
        p.doWork();
        assertThat(p.size()).isEqualTo(1);
        publish(ring, 0, true);
        p.onClose();
        assertThat(a.trials).containsExactly(0); // the last decision before the stop
        assertThat(a.completed).isTrue();
        assertThat(b.completed).isFalse();
        assertThat(p.add(new Sink())).isFalse();
    }

    @Test
    void shouldSendTheWaitingDecisionsThenEndEverySinkWithTheFailureOnceTheSessionFailed() {
        DecisionRing ring = new DecisionRing(2, 8);
        DecisionPublisher p = new DecisionPublisher("s", ring, 2);
        int[] wakes = new int[1];
        p.wakeWith(() -> wakes[0]++);
        p.failureReason(() -> "session s is in ERROR: learner failed: boom");
        Sink a = new Sink();
        p.add(a);
        publish(ring, 0, true);
        p.sessionFailed();
        assertThat(wakes[0]).isEqualTo(1);
        p.doWork();
        assertThat(a.trials).containsExactly(0);
        assertThat(a.failedWith).isEqualTo("session s is in ERROR: learner failed: boom");
        assertThat(a.completed).isFalse();
        assertThat(p.add(new Sink())).isFalse();
        Sink b = new Sink();
        DecisionPublisher dead = new DecisionPublisher("d", ring, 2);
        dead.add(b);
        dead.failSinks(); // the hook of a publisher whose thread died
        assertThat(b.failedWith).isEqualTo("session d is in ERROR");
    }
}
