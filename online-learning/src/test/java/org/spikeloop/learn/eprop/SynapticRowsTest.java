package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SynapticRowsTest {
    private final float[] wIn = new float[2 * 3];
    private final float[] wRec = new float[3 * 3];
    private final float[] bias = new float[3];

    @Test
    void shouldMapInputThenBiasThenRecurrentRows() {
        SynapticRows rows = new SynapticRows(wIn, wRec, bias, 2, 3);
        assertThat(rows.count()).isEqualTo(2 + 1 + 3);
        assertThat(rows.array(1)).isSameAs(wIn);
        assertThat(rows.offset(1)).isEqualTo(3);
        assertThat(rows.group(1)).isEqualTo(SynapticRows.INPUT);
        assertThat(rows.array(2)).isSameAs(bias);
        assertThat(rows.offset(2)).isZero();
        assertThat(rows.group(2)).isEqualTo(SynapticRows.BIAS);
        assertThat(rows.array(4)).isSameAs(wRec);
        assertThat(rows.offset(4)).isEqualTo(3);
        assertThat(rows.group(4)).isEqualTo(SynapticRows.RECURRENT);
        assertThat(rows.groupArray(SynapticRows.RECURRENT)).isSameAs(wRec);
    }

    /**
     * Row i > inputs is w_rec's column i − inputs − 1 transposed: its element i − inputs − 1 is
     * w_jj.
     */
    @Test
    void shouldNameTheAutapseOfEachRecurrentRowOnly() {
        SynapticRows rows = new SynapticRows(wIn, wRec, bias, 2, 3);
        assertThat(rows.diagonal(0)).isEqualTo(-1);
        assertThat(rows.diagonal(2)).isEqualTo(-1);
        assertThat(rows.diagonal(3)).isZero();
        assertThat(rows.diagonal(5)).isEqualTo(2);
    }

    @Test
    void shouldHaveNoRecurrentRowsWithoutRecurrence() {
        SynapticRows rows = new SynapticRows(wIn, null, bias, 2, 3);
        assertThat(rows.count()).isEqualTo(3);
        assertThat(rows.recurrent()).isFalse();
        assertThat(rows.groupArray(SynapticRows.RECURRENT)).isNull();
    }
}
