package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.optim.AdamKernel;

class SynapticUpdateTest {
    private static final int INPUTS = 2;
    private static final int H = 3;
    private static final int P = INPUTS + 1 + H;

    private final float[] wIn = new float[INPUTS * H];
    private final float[] wRec = new float[H * H];
    private final float[] bias = new float[H];
    private final SynapticRows rows = new SynapticRows(wIn, wRec, bias, INPUTS, H);
    private final float[] g = new float[P * H];

    SynapticUpdateTest() {
        SplittableRandom rng = new SplittableRandom(1);
        for (float[] a : new float[][] {wIn, wRec, bias, g}) {
            for (int k = 0; k < a.length; k++) {
                a[k] = (float) (rng.nextDouble() - 0.5);
            }
        }
        for (int j = 0; j < H; j++) {
            wRec[j * H + j] = 0f;
        }
    }

    private static EpropConfig.Builder config() {
        return EpropConfig.builder()
                .optimizer(OptimizerKind.SGD)
                .lrInput(0.01)
                .lrRecurrent(0.02)
                .lrBias(0.03);
    }

    private void applyAll(SynapticUpdate u, int slot) {
        u.begin(slot);
        for (int i = 0; i < P; i++) {
            u.applyRow(i, g);
        }
    }

    /** w ← w − η_group·g per row, autapses kept at 0, the gradient zeroed. */
    @Test
    void shouldStepEachRowBySgdWithItsGroupsRate() {
        SynapticUpdate u =
                new SynapticUpdate(
                        rows, new WeightGuard(rows, Double.POSITIVE_INFINITY), config().build(), 4);
        float[] in0 = wIn.clone();
        float[] rec0 = wRec.clone();
        float[] g0 = g.clone();
        u.due(0);
        applyAll(u, 0);
        assertThat(u.finish()).isTrue();
        assertThat(u.updatesApplied()).isEqualTo(1);
        for (int k = 0; k < wIn.length; k++) {
            assertThat(wIn[k]).isEqualTo(in0[k] - (float) 0.01 * g0[k]);
        }
        for (int r = 0; r < H; r++) {
            for (int j = 0; j < H; j++) {
                float expected =
                        r == j ? 0f : rec0[r * H + j] - (float) 0.02 * g0[(INPUTS + 1 + r) * H + j];
                assertThat(wRec[r * H + j]).as("w_rec row %d, %d", r, j).isEqualTo(expected);
            }
        }
        assertThat(g).containsOnly(0f);
    }

    @Test
    void shouldClipEachChangeToMaxWeightChange() {
        SynapticUpdate u =
                new SynapticUpdate(
                        rows,
                        new WeightGuard(rows, Double.POSITIVE_INFINITY),
                        config().lrInput(0.1).maxWeightChange(1e-3).build(),
                        4);
        float[] in0 = wIn.clone();
        u.due(0);
        applyAll(u, 0);
        for (int k = 0; k < wIn.length; k++) {
            assertThat(Math.abs(wIn[k] - in0[k])).isLessThanOrEqualTo(1.0001e-3f).isPositive();
        }
    }

    /** The rate scale in force when the update fell due, not a later one. */
    @Test
    void shouldUseTheRateScaleLatchedWhenTheUpdateFellDue() {
        SynapticUpdate u =
                new SynapticUpdate(
                        rows, new WeightGuard(rows, Double.POSITIVE_INFINITY), config().build(), 4);
        float[] in0 = wIn.clone();
        float[] g0 = g.clone();
        u.learningRateScale(0.5);
        u.due(2);
        u.learningRateScale(0.1);
        applyAll(u, 2);
        assertThat(wIn[0]).isEqualTo(in0[0] - (float) (0.5 * 0.01) * g0[0]);
        assertThat(u.learningRateScale()).isEqualTo(0.1);
    }

    /** Adam: the kernel's step with the bias corrections of the update's own step t. */
    @Test
    void shouldTakeTheAdamKernelsStepWithTheCorrectionsOfItsStep() {
        EpropConfig cfg = config().optimizer(OptimizerKind.ADAM).build();
        SynapticUpdate u =
                new SynapticUpdate(rows, new WeightGuard(rows, Double.POSITIVE_INFINITY), cfg, 4);
        float[] in0 = wIn.clone();
        float[] g0 = g.clone();
        u.due(0); // t = 1
        u.due(1); // t = 2
        assertThat(u.c1(1)).isEqualTo(AdamKernel.biasCorrection(cfg.adamBeta1(), 2));
        applyAll(u, 1);
        float[] expected = in0.clone();
        AdamKernel.update(
                expected,
                0,
                g0,
                new float[P * H],
                new float[P * H],
                0,
                INPUTS * H,
                (float) cfg.lrInput(),
                (float) cfg.adamBeta1(),
                (float) cfg.adamBeta2(),
                (float) cfg.adamEpsilon(),
                (float) u.c1(1),
                (float) u.c2(1),
                Float.MAX_VALUE);
        assertThat(wIn).containsExactly(expected);
    }

    /**
     * A non-finite row abandons the update: every row already written is restored, the bad row's
     * Adam moments stay as they were, the remaining rows only have their gradient zeroed.
     */
    @Test
    void shouldAbandonTheUpdateAtANonFiniteRow() {
        EpropConfig cfg = config().optimizer(OptimizerKind.ADAM).build();
        WeightGuard guard = new WeightGuard(rows, Double.POSITIVE_INFINITY);
        SynapticUpdate u = new SynapticUpdate(rows, guard, cfg, 4);
        // A first, good update gives every row non-zero moments.
        float[] g1 = g.clone();
        u.due(0);
        applyAll(u, 0);
        assertThat(u.finish()).isTrue();
        float[] in0 = wIn.clone();
        float[] bias0 = bias.clone();
        float[] rec0 = wRec.clone();
        SplittableRandom rng = new SplittableRandom(2);
        for (int k = 0; k < g.length; k++) {
            g[k] = (float) (rng.nextDouble() - 0.5);
        }
        g[INPUTS * H + 1] = Float.POSITIVE_INFINITY; // the bias row
        u.due(1);
        applyAll(u, 1);
        assertThat(u.finish()).isFalse();
        assertThat(u.updatesApplied()).isEqualTo(1);
        assertThat(guard.nonFiniteEvents()).isEqualTo(1);
        assertThat(wIn).containsExactly(in0);
        assertThat(bias).containsExactly(bias0);
        assertThat(wRec).containsExactly(rec0);
        assertThat(g).containsOnly(0f);
        // The next update of the bias row steps from the first update's moments, as if the
        // abandoned one had never touched them (its step count t = 3 does advance).
        float[] gBias = {0.1f, -0.2f, 0.3f};
        System.arraycopy(gBias, 0, g, INPUTS * H, H);
        u.due(2);
        applyAll(u, 2);
        assertThat(u.finish()).isTrue();
        float[] m = new float[H];
        float[] v = new float[H];
        float[] scratch = new float[H];
        float b1 = (float) cfg.adamBeta1();
        float b2 = (float) cfg.adamBeta2();
        float eps = (float) cfg.adamEpsilon();
        float lr = (float) cfg.lrBias();
        float[] g1Bias = new float[H];
        System.arraycopy(g1, INPUTS * H, g1Bias, 0, H);
        AdamKernel.update(
                scratch,
                0,
                g1Bias,
                m,
                v,
                0,
                H,
                lr,
                b1,
                b2,
                eps,
                (float) u.c1(0),
                (float) u.c2(0),
                Float.MAX_VALUE);
        float[] expected = bias0.clone();
        AdamKernel.update(
                expected,
                0,
                gBias,
                m,
                v,
                0,
                H,
                lr,
                b1,
                b2,
                eps,
                (float) u.c1(2),
                (float) u.c2(2),
                Float.MAX_VALUE);
        assertThat(bias).containsExactly(expected);
    }
}
