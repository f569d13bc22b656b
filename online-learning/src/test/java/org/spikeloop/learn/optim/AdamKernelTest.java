package org.spikeloop.learn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AdamKernel} against the formulas it replaced, written out here as they stood: the float
 * e-prop learner's synaptic rows and readout, the float64 e-prop reference's updater, and {@link
 * Adam}'s map-based loop. Equality is bit for bit (the kernel keeps their order of operations).
 */
class AdamKernelTest {
    private static final int N = 257;

    /** Gradients spanning signs, magnitudes, zeros and subnormal-adjacent values. */
    private static double[] values(long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] r = new double[N];
        for (int i = 0; i < N; i++) {
            double u = rng.nextDouble() * 2.0 - 1.0;
            r[i] = i % 17 == 0 ? 0.0 : u * scale * Math.pow(10.0, rng.nextInt(-6, 4));
        }
        return r;
    }

    private static double[] positive(long seed, double scale) {
        double[] r = values(seed, scale);
        for (int i = 0; i < N; i++) {
            r[i] = Math.abs(r[i]);
        }
        return r;
    }

    private static float[] f(double[] d) {
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    /**
     * The float learner's synaptic row before the kernel: moments and step computed in one pass,
     * the step clipped, then w + step (its readout took the same step with the same casts).
     */
    @ParameterizedTest
    @ValueSource(floats = {1e-3f, Float.MAX_VALUE})
    void shouldTakeTheFloatLearnersPreviousStepBitForBit(float maxChange) {
        float[] w = f(values(1, 1.0));
        float[] g = f(values(2, 1.0));
        float[] m = f(values(3, 0.1));
        float[] s = f(positive(4, 0.1));
        double lrD = 3e-3;
        long t = 7;
        double c1d = 1.0 - Math.pow(0.9, t);
        double c2d = 1.0 - Math.pow(0.999, t);
        float lr = (float) lrD;
        float b1 = (float) 0.9;
        float b2 = (float) 0.999;
        float c1 = (float) c1d;
        float c2 = (float) c2d;
        float eps = (float) 1e-8;
        float[] wOld = w.clone();
        float[] mOld = m.clone();
        float[] sOld = s.clone();
        for (int j = 0; j < N; j++) {
            float gr = g[j];
            float mj = b1 * mOld[j] + (1f - b1) * gr;
            float sj = b2 * sOld[j] + (1f - b2) * gr * gr;
            float step = -lr * (mj / c1) / ((float) Math.sqrt(sj / c2) + eps);
            step = Math.max(-maxChange, Math.min(maxChange, step));
            wOld[j] = wOld[j] + step;
            mOld[j] = mj;
            sOld[j] = sj;
        }
        AdamKernel.update(
                w,
                0,
                g,
                m,
                s,
                0,
                N,
                lr,
                b1,
                b2,
                eps,
                (float) AdamKernel.biasCorrection(0.9, t),
                (float) AdamKernel.biasCorrection(0.999, t),
                maxChange);
        assertThat(w).containsExactly(wOld);
        assertThat(m).containsExactly(mOld);
        assertThat(s).containsExactly(sOld);
        assertThat(w).isNotEqualTo(f(values(1, 1.0))); // it moved
    }

    /** {@link Adam} before the kernel: p −= η·(m/c1)/(√(v/c2) + ε), no bound. */
    @Test
    void shouldTakeTheDoubleAdamsPreviousStepBitForBit() {
        double[] p = values(5, 1.0);
        double[] g = values(6, 1.0);
        double[] m = values(7, 0.1);
        double[] v = positive(8, 0.1);
        double lr = 1e-3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        int t = 3;
        double c1 = 1.0 - Math.pow(b1, t);
        double c2 = 1.0 - Math.pow(b2, t);
        double[] pOld = p.clone();
        double[] mm = m.clone();
        double[] vv = v.clone();
        for (int i = 0; i < N; i++) {
            mm[i] = b1 * mm[i] + (1.0 - b1) * g[i];
            vv[i] = b2 * vv[i] + (1.0 - b2) * g[i] * g[i];
            pOld[i] -= lr * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + eps);
        }
        AdamKernel.update(
                p,
                0,
                g,
                m,
                v,
                0,
                N,
                lr,
                b1,
                b2,
                eps,
                AdamKernel.biasCorrection(b1, t),
                AdamKernel.biasCorrection(b2, t),
                Double.POSITIVE_INFINITY);
        assertThat(p).containsExactly(pOld);
        assertThat(m).containsExactly(mm);
        assertThat(v).containsExactly(vv);
    }

    /** The float64 e-prop reference's updater before the kernel: the step clipped, w + step. */
    @Test
    void shouldTakeTheReferenceUpdatersPreviousClippedStepBitForBit() {
        double[] w = values(9, 1.0);
        double[] g = values(10, 100.0);
        double[] m = values(11, 1.0);
        double[] s = positive(12, 1.0);
        double lr = 0.05;
        double maxChange = 1e-2;
        double c1 = 1.0 - Math.pow(0.9, 2);
        double c2 = 1.0 - Math.pow(0.999, 2);
        double[] wOld = w.clone();
        double[] mOld = m.clone();
        double[] sOld = s.clone();
        int clipped = 0;
        for (int i = 0; i < N; i++) {
            double mi = 0.9 * mOld[i] + (1.0 - 0.9) * g[i];
            double si = 0.999 * sOld[i] + (1.0 - 0.999) * g[i] * g[i];
            double step = -lr * (mi / c1) / (Math.sqrt(si / c2) + 1e-8);
            clipped += Math.abs(step) > maxChange ? 1 : 0;
            step = Math.max(-maxChange, Math.min(maxChange, step));
            wOld[i] = wOld[i] + step;
            mOld[i] = mi;
            sOld[i] = si;
        }
        AdamKernel.update(w, 0, g, m, s, 0, N, lr, 0.9, 0.999, 1e-8, c1, c2, maxChange);
        assertThat(clipped).as("steps the bound cut").isGreaterThan(N / 4);
        assertThat(w).containsExactly(wOld);
        assertThat(m).containsExactly(mOld);
        assertThat(s).containsExactly(sOld);
    }

    /** t = 1: m̂ = g and v̂ = g², so each step is −η·g/(|g| + ε) ≈ −η·sign(g). */
    @Test
    void shouldStepByTheLearningRateTimesTheSignAtTheFirstStep() {
        double[] p = new double[3];
        double[] g = {0.5, -2.0, 0.0};
        AdamKernel.update(
                p,
                0,
                g,
                new double[3],
                new double[3],
                0,
                3,
                0.1,
                0.9,
                0.999,
                1e-8,
                AdamKernel.biasCorrection(0.9, 1),
                AdamKernel.biasCorrection(0.999, 1),
                Double.POSITIVE_INFINITY);
        assertThat(p[0]).isCloseTo(-0.1, offset(1e-7));
        assertThat(p[1]).isCloseTo(0.1, offset(1e-7));
        assertThat(p[2]).isZero();
    }

    /** p is addressed from its own offset, g/m/v from theirs; nothing outside the slice moves. */
    @Test
    void shouldUpdateOnlyTheSlice() {
        float[] p = {1f, 1f, 1f, 1f, 1f, 1f};
        float[] g = {9f, 9f, 0.5f, -0.5f, 9f};
        float[] m = new float[5];
        float[] v = new float[5];
        AdamKernel.update(p, 3, g, m, v, 2, 2, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 1f);
        assertThat(p[3]).isCloseTo(0.9f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(p[4]).isCloseTo(1.1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(new float[] {p[0], p[1], p[2], p[5]}).containsOnly(1f);
        assertThat(m[2]).isCloseTo(0.05f, org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(m[3]).isCloseTo(-0.05f, org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(new float[] {m[0], m[1], m[4], v[0], v[1], v[4]}).containsOnly(0f);
        assertThat(v[2]).isPositive();
        assertThat(v[3]).isPositive();
    }

    @Test
    void shouldBoundEachStepToMaxStep() {
        float[] p = new float[4];
        float[] g = {1f, -1f, 1e-3f, -1e-3f};
        AdamKernel.update(
                p,
                0,
                g,
                new float[4],
                new float[4],
                0,
                4,
                0.5f,
                0.9f,
                0.999f,
                1e-8f,
                0.1f,
                0.001f,
                0.25f);
        assertThat(p).containsExactly(-0.25f, 0.25f, -0.25f, 0.25f);
    }

    @Test
    void shouldAllocateNothing() {
        float[] pf = f(values(13, 1.0));
        float[] gf = f(values(14, 1.0));
        float[] mf = new float[N];
        float[] vf = new float[N];
        double[] pd = values(15, 1.0);
        double[] gd = values(16, 1.0);
        double[] md = new double[N];
        double[] vd = new double[N];
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round warms up (class loading, JIT)
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int t = 1; t <= 2000; t++) {
                double c1 = AdamKernel.biasCorrection(0.9, t);
                double c2 = AdamKernel.biasCorrection(0.999, t);
                AdamKernel.update(
                        pf,
                        0,
                        gf,
                        mf,
                        vf,
                        0,
                        N,
                        1e-4f,
                        0.9f,
                        0.999f,
                        1e-8f,
                        (float) c1,
                        (float) c2,
                        Float.POSITIVE_INFINITY);
                AdamKernel.update(pd, 0, gd, md, vd, 0, N, 1e-4, 0.9, 0.999, 1e-8, c1, c2, 1e-3);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).as("bytes over 4000 kernel calls").isZero();
            }
        }
    }
}
