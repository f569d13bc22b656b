package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NonFiniteFilterTest {
    @Test
    void shouldRemoveSamplesWithNanOrInfAndKeepOrder() {
        NonFiniteFilter f = new NonFiniteFilter(2);
        float[] data = {
            1, 2, Float.NaN, 4, 5, 6, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 9, 10
        };
        double[] ts = {0.1, 0.2, 0.3, 0.4, 0.5};
        int kept = f.compact(data, ts, 5);
        assertThat(kept).isEqualTo(3);
        assertThat(Arrays.copyOf(data, 6)).containsExactly(1, 2, 5, 6, 9, 10);
        assertThat(Arrays.copyOf(ts, 3)).containsExactly(0.1, 0.3, 0.5);
        assertThat(f.samplesRemoved()).isEqualTo(2);
        assertThat(f.valuesNonFinite()).isEqualTo(3);
    }

    @Test
    void shouldCountDoubleNonFiniteValues() {
        NonFiniteFilter f = new NonFiniteFilter(1);
        double[] data = {Double.NaN, 1, Double.NEGATIVE_INFINITY};
        double[] ts = {1, 2, 3};
        assertThat(f.compact(data, ts, 3)).isEqualTo(1);
        assertThat(data[0]).isEqualTo(1.0);
        assertThat(ts[0]).isEqualTo(2.0);
        assertThat(f.samplesRemoved()).isEqualTo(2);
    }
}
