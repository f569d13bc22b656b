package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LivenessMonitorTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock implements NanoClock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        void advanceMs(double ms) {
            now += (long) (ms * 1e6);
        }
    }

    @Test
    void shouldStallAfterKExpectedIntervalsAndResumeWhenDataReturns() {
        ManualClock clock = new ManualClock();
        // 1 kHz in 10-sample chunks: expected interval 10 ms, stalled after 3 of them.
        LivenessMonitor m = new LivenessMonitor(1000, 10, 3);
        assertThat(m.check(clock.nanoTime())).isEqualTo(LivenessMonitor.State.WAITING);
        assertThat(m.onSamples(10, clock.nanoTime())).isEqualTo(LivenessMonitor.State.LIVE);
        clock.advanceMs(29.9);
        assertThat(m.check(clock.nanoTime())).isEqualTo(LivenessMonitor.State.LIVE);
        clock.advanceMs(0.2);
        assertThat(m.check(clock.nanoTime())).isEqualTo(LivenessMonitor.State.STALLED);
        clock.advanceMs(1000);
        assertThat(m.check(clock.nanoTime())).isEqualTo(LivenessMonitor.State.STALLED);
        assertThat(m.stalls()).isEqualTo(1);
        assertThat(m.onSamples(10, clock.nanoTime())).isEqualTo(LivenessMonitor.State.LIVE);
        assertThat(m.resumes()).isEqualTo(1);
        clock.advanceMs(31);
        assertThat(m.check(clock.nanoTime())).isEqualTo(LivenessMonitor.State.STALLED);
        assertThat(m.stalls()).isEqualTo(2);
    }

    @Test
    void shouldNeverStallAnIrregularStream() {
        ManualClock clock = new ManualClock();
        LivenessMonitor m = new LivenessMonitor(0, 1, 3);
        m.onSamples(1, clock.nanoTime());
        clock.advanceMs(3_600_000);
        assertThat(m.check(clock.nanoTime())).isEqualTo(LivenessMonitor.State.LIVE);
        assertThat(m.stalls()).isZero();
    }

    @Test
    void shouldNotCountEmptyPullsAsData() {
        ManualClock clock = new ManualClock();
        LivenessMonitor m = new LivenessMonitor(100, 1, 2);
        m.onSamples(1, clock.nanoTime());
        clock.advanceMs(25);
        assertThat(m.onSamples(0, clock.nanoTime())).isEqualTo(LivenessMonitor.State.STALLED);
    }

    @Test
    void shouldRejectStallFactorOfOneOrLess() {
        assertThatThrownBy(() -> new LivenessMonitor(100, 1, 1.0))
                .hasMessageContaining("stallFactor");
        assertThatThrownBy(() -> new LivenessMonitor(-5, 1, 3))
                .hasMessageContaining("nominalSrateHz");
    }
}
