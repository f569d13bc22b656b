package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.proto.v1.DecodedFrame;

class FrameStatsTest {
    private static DecodedFrame frame(
            double stampS, double arrivalS, double decodeS, boolean missed) {
        return DecodedFrame.newBuilder()
                .setSourceTimestamp(stampS)
                .setArrivalTime(arrivalS)
                .setDecodeTime(decodeS)
                .setDeadlineMissed(missed)
                .build();
    }

    @Test
    void shouldMeasureOnlyFramesStampedInTheWindowAndTravelAsJson() {
        double now = System.nanoTime() * 1e-9;
        FrameStats s = new FrameStats(10);
        s.onFrame(frame(now - 1, now - 1, now - 1, true)); // before any window: not measured
        s.window(now - 0.5, now + 10, 1_000_000);
        s.onFrame(frame(now - 0.4, now - 0.4, now - 0.4 + 0.0005, false));
        s.onFrame(frame(now - 0.3, now - 0.3, now - 0.3 + 0.002, true)); // published late
        s.onFrame(frame(now + 20, now + 20, now + 20, true)); // after the window
        assertThat(s.received).isEqualTo(2);
        assertThat(s.missed).isEqualTo(1);
        assertThat(s.lateAtWatcher).isEqualTo(1); // the first was received 0.4 s after it arrived
        FrameStats back = FrameStats.fromJson(s.toJson());
        assertThat(back.received).isEqualTo(2);
        assertThat(back.missed).isEqualTo(1);
        assertThat(back.missedKept).isEqualTo(1);
        assertThat(back.latencyNs.getTotalCount()).isEqualTo(2);
        assertThat(back.engineNs.getValueAtPercentile(100))
                .isEqualTo(s.engineNs.getValueAtPercentile(100));
        assertThat(back.missedBySecond).containsExactly(s.missedBySecond);
    }

    @Test
    void shouldTellMissesThatOverlappedAGcPauseFromTheOthers() {
        double now = System.nanoTime() * 1e-9;
        FrameStats s = new FrameStats(10);
        s.window(now - 1, now + 10, 1_000_000);
        s.onFrame(frame(now - 0.9, now - 0.9, now - 0.9 + 0.003, true));
        s.onFrame(frame(now - 0.5, now - 0.5, now - 0.5 + 0.003, true));
        long pauseStartNs = (long) ((now - 0.9 + 0.001) * 1e9);
        List<GcPauseLog.Pause> pauses =
                List.of(new GcPauseLog.Pause(pauseStartNs, 1_500_000, "GC Pause"));
        assertThat(s.missedInPauses(pauses)).isEqualTo(1);
        FrameStats total = new FrameStats(10);
        total.add(s);
        total.add(s);
        assertThat(total.missed).isEqualTo(4);
        assertThat(total.missedInPauses(pauses)).isEqualTo(2);
    }
}
