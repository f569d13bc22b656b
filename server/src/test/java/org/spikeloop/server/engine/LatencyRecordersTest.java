package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecordersTest {
    @Test
    void shouldAccumulateIntervalsIntoCumulativeSnapshots() {
        LatencyRecorders r = new LatencyRecorders();
        for (int i = 1; i <= 100; i++) {
            r.recordStep(i * 1_000L);
        }
        assertThat(r.stepSnapshot().getTotalCount()).isEqualTo(100);
        r.recordStep(5_000_000L);
        var h = r.stepSnapshot();
        assertThat(h.getTotalCount()).isEqualTo(101);
        assertThat(h.getMaxValue()).isBetween(4_990_000L, 5_010_000L);
        assertThat(h.getValueAtPercentile(50)).isBetween(50_000L, 52_000L);
        assertThat(r.endToEndSnapshot().getTotalCount()).isZero();
    }

    @Test
    void shouldClampValuesOutsideTheTrackableRange() {
        LatencyRecorders r = new LatencyRecorders();
        r.recordEndToEnd(-5);
        r.recordEndToEnd(Long.MAX_VALUE);
        var h = r.endToEndSnapshot();
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMinValue()).isLessThanOrEqualTo(1);
        assertThat(h.getMaxValue())
                .isGreaterThanOrEqualTo(
                        LatencyRecorders.HIGHEST_NS - LatencyRecorders.HIGHEST_NS / 1000);
    }
}
