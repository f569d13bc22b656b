package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceStampsTest {
    private static final double RATE = 1000.0;

    @Test
    void shouldPassAscendingStampsAsSent() {
        SourceStamps st = new SourceStamps(RATE);
        for (int i = 0; i < 100; i++) {
            double s = 50.0 + i * 0.001;
            assertThat(st.next(s, 60.0 + i * 0.001)).isEqualTo(s);
        }
        assertThat(st.repaired()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            doubles = {
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                1e300,
                -1e300,
                1e11,
                49.0,
                1050.0
            })
    void shouldRepairOneBadStampToThePreviousPlusOnePeriodAndCarryOn(double bad) {
        SourceStamps st = new SourceStamps(RATE);
        for (int i = 0; i < 10; i++) {
            st.next(50.0 + i * 0.001, 60.0);
        }

        double repaired = st.next(bad, 60.0);

        assertThat(repaired).isEqualTo(50.009 + 0.001, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(st.repaired()).isEqualTo(1);
        // The stream carries on with its own stamps.
        assertThat(st.next(50.011, 60.0)).isEqualTo(50.011);
        assertThat(st.repaired()).isEqualTo(1);
    }

    @Test
    void shouldNotAllocatePerRow() {
        // The rule runs on the ingest path and the LSL source agent (the engine thread when
        // co-located): nothing per row.
        var mx =
                (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        SourceStamps st = new SourceStamps(RATE);
        double sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += st.next(i % 97 == 0 ? Double.NaN : i * 0.001, i * 0.001);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 20_000; i < 120_000; i++) {
            sink += st.next(i % 97 == 0 ? Double.NaN : i * 0.001, i * 0.001);
        }
        long bytes = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        assertThat(bytes).as("bytes over 100 000 rows").isLessThan(1024);
    }

    @Test
    void shouldRepairAnIrregularStreamByTheArrivalClock() {
        SourceStamps st = new SourceStamps(0);
        st.next(10.0, 100.0);

        assertThat(st.next(Double.NaN, 100.25)).isEqualTo(10.25);
        assertThat(st.next(5.0, 100.25)).isEqualTo(10.25); // never back, never ahead of arrivals
        assertThat(st.repaired()).isEqualTo(2);
    }

    @Test
    void shouldStampABadFirstRowWithItsArrival() {
        SourceStamps st = new SourceStamps(RATE);

        assertThat(st.next(Double.NaN, 123.5)).isEqualTo(123.5);
        assertThat(st.repaired()).isEqualTo(1);
    }

    @Test
    void shouldAllowStampsToLagArrivalsAfterANetworkPause() {
        SourceStamps st = new SourceStamps(RATE);
        st.next(10.0, 100.0);
        // 30 s without arrivals, then a burst of what was sent meanwhile: stamps behind arrivals.
        for (int i = 1; i <= 1000; i++) {
            assertThat(st.next(10.0 + i * 0.001, 130.0)).isEqualTo(10.0 + i * 0.001);
        }
        assertThat(st.repaired()).isZero();
    }

    @Test
    void shouldFollowASourceWhoseClockJumpedForwardAfterEightConsistentRows() {
        SourceStamps st = new SourceStamps(RATE);
        st.next(10.0, 100.0);
        double jumped = 5000.0;
        for (int i = 1; i < SourceStamps.REANCHOR_ROWS; i++) {
            double out = st.next(jumped + i * 0.001, 100.0 + i * 0.001);
            assertThat(out).isLessThan(11.0); // repaired while it might be one wrong stamp
        }
        assertThat(st.repaired()).isEqualTo(SourceStamps.REANCHOR_ROWS - 1);

        double eighth = jumped + SourceStamps.REANCHOR_ROWS * 0.001;
        assertThat(st.next(eighth, 100.0 + SourceStamps.REANCHOR_ROWS * 0.001)).isEqualTo(eighth);
        assertThat(st.next(eighth + 0.001, 100.01)).isEqualTo(eighth + 0.001);
        assertThat(st.repaired()).isEqualTo(SourceStamps.REANCHOR_ROWS - 1);
    }

    @Test
    void shouldNotFollowStampsThatAreAheadButDisagreeWithEachOther() {
        SourceStamps st = new SourceStamps(RATE);
        st.next(10.0, 100.0);
        for (int i = 1; i <= 50; i++) {
            // alternately far ahead and even further: never a consistent new clock
            double out = st.next(i % 2 == 0 ? 1e6 : 1e7, 100.0);
            assertThat(out).isLessThan(11.0);
        }
        assertThat(st.repaired()).isEqualTo(50);
    }
}
