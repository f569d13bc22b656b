package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class DriftScheduleTest {

    /** Records which events reached it. */
    private record Mark(double atS, String name) implements DriftEvent<List<String>> {
        @Override
        public void applyTo(List<String> rig) {
            rig.add(name);
        }
    }

    @Test
    void shouldApplyEachEventOnceInTimeOrder() {
        DriftSchedule<List<String>> schedule =
                new DriftSchedule<>(
                        List.of(new Mark(20, "b"), new Mark(10, "a"), new Mark(20, "c")));
        List<String> seen = new ArrayList<>();

        assertThat(schedule.applyDue(5, seen)).isZero();
        assertThat(schedule.nextAtS()).isEqualTo(10);
        assertThat(schedule.applyDue(10, seen)).isEqualTo(1);
        assertThat(schedule.applyDue(30, seen)).isEqualTo(2);
        assertThat(schedule.applyDue(40, seen)).isZero();
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(schedule.nextAtS()).isInfinite();
    }

    @Test
    void shouldApplyAgainAfterReset() {
        DriftSchedule<List<String>> schedule = new DriftSchedule<>(List.of(new Mark(1, "a")));
        List<String> seen = new ArrayList<>();
        schedule.applyDue(2, seen);

        schedule.reset();
        schedule.applyDue(2, seen);

        assertThat(seen).containsExactly("a", "a");
    }

    @Test
    void shouldRejectANegativeEventTime() {
        assertThatThrownBy(() -> new DriftSchedule<>(List.of(new Mark(-1, "a"))))
                .hasMessageStartingWith("drift event time must be finite and >= 0, got -1.0");
    }

    @Test
    void shouldNotAllocateWhenNothingIsDue() {
        DriftSchedule<List<String>> schedule = new DriftSchedule<>(List.of(new Mark(1e9, "a")));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            schedule.applyDue(i, seen);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            schedule.applyDue(i, seen);
        }

        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }
}
