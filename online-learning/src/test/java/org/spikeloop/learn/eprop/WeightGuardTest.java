package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightGuardTest {
    private final float[] wIn = {1f, 2f, 3f, 4f, 5f, 6f}; // 2 inputs × 3 neurons
    private final float[] wRec = {0f, 0.1f, 0.2f, 0.3f, 0f, 0.4f, 0.5f, 0.6f, 0f};
    private final float[] bias = {0.01f, 0.02f, 0.03f};
    private final SynapticRows rows = new SynapticRows(wIn, wRec, bias, 2, 3);

    private void change(int i, float delta) {
        float[] w = rows.array(i);
        for (int j = 0; j < 3; j++) {
            w[rows.offset(i) + j] += delta;
        }
    }

    @Test
    void shouldRestoreEveryRowTheUpdateChangedWhenItIsAbandoned() {
        WeightGuard guard = new WeightGuard(rows, Double.POSITIVE_INFINITY);
        float[] in0 = wIn.clone();
        float[] rec0 = wRec.clone();
        float[] bias0 = bias.clone();
        guard.begin();
        for (int i = 0; i < 3; i++) {
            guard.save(i);
            change(i, 1f);
            guard.addNorm(i);
        }
        guard.save(3);
        change(3, Float.NaN);
        assertThat(wRec[0]).isNaN();
        guard.abandon(4);
        assertThat(guard.aborted()).isTrue();
        assertThat(guard.finish()).isFalse();
        assertThat(guard.nonFiniteEvents()).isEqualTo(1);
        assertThat(wIn).containsExactly(in0);
        assertThat(bias).containsExactly(bias0);
        assertThat(wRec).containsExactly(rec0);
        guard.begin();
        assertThat(guard.aborted()).isFalse();
    }

    /** ‖w_in‖ = √91 ≈ 9.5 &gt; 2: scaled onto the sphere, direction kept; the bias group is not. */
    @Test
    void shouldScaleAGroupOverTheNormLimitBackOntoIt() {
        WeightGuard guard = new WeightGuard(rows, 2.0);
        float[] bias0 = bias.clone();
        float[] rec0 = wRec.clone();
        guard.begin();
        for (int i = 0; i < rows.count(); i++) {
            guard.save(i);
            guard.addNorm(i);
        }
        assertThat(guard.finish()).isTrue();
        double norm = 0.0;
        for (float v : wIn) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(wIn[5] / wIn[0]).isCloseTo(6f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(bias).containsExactly(bias0);
        assertThat(wRec).containsExactly(rec0);
    }

    @Test
    void shouldLeaveEveryGroupWhenTheNormIsUnlimited() {
        WeightGuard guard = new WeightGuard(rows, Double.POSITIVE_INFINITY);
        float[] in0 = wIn.clone();
        guard.begin();
        for (int i = 0; i < rows.count(); i++) {
            guard.save(i);
            guard.addNorm(i);
        }
        assertThat(guard.finish()).isTrue();
        assertThat(wIn).containsExactly(in0);
    }

    /** Norms restart with each update: a group within the limit now is not scaled for old rows. */
    @Test
    void shouldSumNormsPerUpdate() {
        WeightGuard guard = new WeightGuard(rows, 10.0);
        float[] in0 = wIn.clone();
        for (int update = 0; update < 3; update++) {
            guard.begin();
            for (int i = 0; i < rows.count(); i++) {
                guard.save(i);
                guard.addNorm(i);
            }
            assertThat(guard.finish()).isTrue();
        }
        assertThat(wIn).containsExactly(in0); // √91 < 10 each time
    }
}
