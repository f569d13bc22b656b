package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionRingTest {
    private static void publish(DecisionRing r, int trial, int decided) {
        r.publish(
                trial,
                "cue" + trial,
                trial % 2,
                trial,
                trial + 0.5,
                decided == Decision.NONE ? 0 : 10,
                new double[] {0.25, 0.75},
                decided,
                1_000L * trial,
                trial % 3 == 0);
    }

    @Test
    void shouldCopyEveryFieldOfAPublishedWindow() {
        DecisionRing r = new DecisionRing(2, 8);
        DecisionCursor c = r.newCursor();
        Decision d = new Decision(2);
        assertThat(c.poll(d)).isFalse();
        publish(r, 3, 1);
        assertThat(c.poll(d)).isTrue();
        assertThat(d.sequence).isZero();
        assertThat(d.trial).isEqualTo(3);
        assertThat(d.cue).isEqualTo("cue3");
        assertThat(d.cueClass).isEqualTo(1);
        assertThat(d.startS).isEqualTo(3.0);
        assertThat(d.endS).isEqualTo(3.5);
        assertThat(d.frames).isEqualTo(10);
        assertThat(d.probabilities).containsExactly(0.25f, 0.75f);
        assertThat(d.decision).isEqualTo(1);
        assertThat(d.decidedNs).isEqualTo(3_000L);
        assertThat(d.learned).isTrue();
        assertThat(d.decided()).isTrue();
        assertThat(c.poll(d)).isFalse();
    }

    @Test
    void shouldPublishAWindowWithoutStepsWithoutADecision() {
        DecisionRing r = new DecisionRing(2, 8);
        DecisionCursor c = r.newCursor();
        Decision d = new Decision(2);
        publish(r, 1, Decision.NONE);
        assertThat(c.poll(d)).isTrue();
        assertThat(d.decided()).isFalse();
        assertThat(d.decision).isEqualTo(Decision.NONE);
        assertThat(d.probabilities[0]).isNaN();
    }

    @Test
    void shouldSkipToTheOldestHeldWindowAndCountTheLostOnesWhenLapped() {
        DecisionRing r = new DecisionRing(2, 4);
        DecisionCursor c = r.newCursor();
        Decision d = new Decision(2);
        for (int t = 0; t < 10; t++) {
            publish(r, t, 0);
        }
        List<Integer> read = new java.util.ArrayList<>();
        while (c.poll(d)) {
            read.add(d.trial);
        }
        // 4 slots, the one being rewritten next is not trusted: the newest 3 survive
        assertThat(read).containsExactly(7, 8, 9);
        assertThat(c.dropped()).isEqualTo(7);
    }
}
