package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spikeloop.learn.eprop.EpropFixtures.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * {@link SynapseMerge}: each row advanced over a whole window by the factorised update (stated in
 * {@link WindowCoefficients}), visiting only the steps its mask marks, against the same formula
 * summed densely over every step.
 */
class SynapseMergeTest {
    private static final int SLOTS = 4;
    private static final int W = 8;
    private static final int INPUTS = 5;
    private static final int H = 4;
    private static final int P = INPUTS + 1;

    private final NetworkSpec spec = spec(INPUTS, H, 1, false, NeuronSpec.lif());
    private final FloatNetwork network = new FloatNetwork(spec, NetworkParams.zeros(spec));

    /** Records n steps of sparse inputs into {@code slot} and random coefficients for it. */
    private static void window(
            WindowBuffers b,
            WindowCoefficients c,
            FloatNetwork net,
            int slot,
            int n,
            SplittableRandom rng) {
        for (int q = 0; q < n; q++) {
            float[] x = new float[INPUTS];
            for (int i = 0; i < INPUTS; i++) {
                x[i] = rng.nextInt(4) == 0 ? 1f : 0f;
            }
            b.recordPresynaptic(slot, q, x, net.layer(0));
        }
        b.close(slot, n, (slot + 1) % SLOTS);
        for (float[] a :
                new float[][] {
                    c.gradientPerStep(slot),
                    c.tracePerStep(slot),
                    c.adaptationPerStep(slot),
                    c.gradientFromTrace(slot),
                    c.gradientFromAdaptation(slot),
                    c.gradientFromEpsilon(slot),
                    c.traceFromAdaptation(slot),
                    c.traceFromEpsilon(slot),
                    c.adaptationFromAdaptation(slot),
                    c.adaptationFromEpsilon(slot)
                }) {
            for (int k = 0; k < a.length; k++) {
                a[k] = (float) (rng.nextDouble() - 0.5);
            }
        }
    }

    /** The formula summed over every step of the window, in float64. */
    private static void dense(
            WindowBuffers b,
            WindowCoefficients c,
            int slot,
            int n,
            boolean alif,
            double[] g,
            double[] e,
            double[] a) {
        float[] p = b.presynapticValues(slot);
        float[] ev0 = b.epsilonStart(slot);
        double kw = b.kappaPower(slot);
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < H; j++) {
                int k = i * H + j;
                double eOld = e[k];
                double aOld = a[k];
                g[k] +=
                        c.gradientFromTrace(slot)[j] * eOld
                                + (alif ? c.gradientFromAdaptation(slot)[j] * aOld : 0.0)
                                + c.gradientFromEpsilon(slot)[j] * ev0[i];
                e[k] =
                        kw * eOld
                                + (alif ? c.traceFromAdaptation(slot)[j] * aOld : 0.0)
                                + c.traceFromEpsilon(slot)[j] * ev0[i];
                a[k] =
                        alif
                                ? c.adaptationFromAdaptation(slot)[j] * aOld
                                        + c.adaptationFromEpsilon(slot)[j] * ev0[i]
                                : 0.0;
                for (int q = 0; q < n; q++) {
                    double pv = p[q * P + i];
                    g[k] += pv * c.gradientPerStep(slot)[q * H + j];
                    e[k] += pv * c.tracePerStep(slot)[q * H + j];
                    if (alif) {
                        a[k] += pv * c.adaptationPerStep(slot)[q * H + j];
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldAdvanceEveryRowByTheWindowFormula(boolean alif) {
        WindowBuffers b =
                new WindowBuffers(
                        SLOTS, W, INPUTS, H, false, false, 0.9f, 0.8f, SurrogateSpec.EPROP_DEFAULT);
        WindowCoefficients c =
                new WindowCoefficients(SLOTS, W, H, alif, false, 0.9f, 0.95f, 0.3f, 0.8f, 0.2f);
        SynapseMerge m = new SynapseMerge(P, H, alif);
        double[] g = new double[P * H];
        double[] e = new double[P * H];
        double[] a = new double[P * H];
        SplittableRandom rng = new SplittableRandom(alif ? 3 : 4);
        // Three windows: the second and third start from non-zero ē and ε^a.
        int[] lengths = {W, 3, 6};
        for (int slot = 0; slot < lengths.length; slot++) {
            window(b, c, network, slot, lengths[slot], rng);
            dense(b, c, slot, lengths[slot], alif, g, e, a);
            for (int i = 0; i < P; i++) {
                m.mergeRow(slot, i, b, c);
            }
        }
        double largest = 0.0;
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < H; j++) {
                int k = i * H + j;
                assertThat((double) m.gradient()[k]).isCloseTo(g[k], close(g[k]));
                assertThat((double) m.trace(i, j)).isCloseTo(e[k], close(e[k]));
                assertThat((double) m.adaptation(i, j)).isCloseTo(a[k], close(a[k]));
                largest = Math.max(largest, Math.abs(a[k]) + Math.abs(e[k]));
            }
        }
        assertThat(largest).isGreaterThan(0.1);
    }

    private static org.assertj.core.data.Offset<Double> close(double reference) {
        return org.assertj.core.data.Offset.offset(1e-5 * (1.0 + Math.abs(reference)));
    }

    /** A merged row's mask words are cleared, so the slot is clean for its next window. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldClearTheMaskOfEachRowItMerges(boolean alif) {
        WindowBuffers b =
                new WindowBuffers(
                        SLOTS, W, INPUTS, H, false, false, 0.9f, 0.8f, SurrogateSpec.EPROP_DEFAULT);
        WindowCoefficients c =
                new WindowCoefficients(SLOTS, W, H, alif, false, 0.9f, 0.95f, 0.3f, 0.8f, 0.2f);
        SynapseMerge m = new SynapseMerge(P, H, alif);
        window(b, c, network, 1, W, new SplittableRandom(5));
        long[] mask = b.nonZero(1);
        assertThat(mask[INPUTS * b.maskWords()]).as("the bias row: every step").isEqualTo(0xffL);
        m.mergeRow(1, INPUTS, b, c);
        assertThat(mask[INPUTS * b.maskWords()]).isZero();
        for (int i = 0; i < INPUTS; i++) {
            m.mergeRow(1, i, b, c);
        }
        assertThat(mask).containsOnly(0L);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldKeepTheGradientWhenTracesResetAndDropItOnClear(boolean alif) {
        WindowBuffers b =
                new WindowBuffers(
                        SLOTS, W, INPUTS, H, false, false, 0.9f, 0.8f, SurrogateSpec.EPROP_DEFAULT);
        WindowCoefficients c =
                new WindowCoefficients(SLOTS, W, H, alif, false, 0.9f, 0.95f, 0.3f, 0.8f, 0.2f);
        SynapseMerge m = new SynapseMerge(P, H, alif);
        window(b, c, network, 0, W, new SplittableRandom(6));
        for (int i = 0; i < P; i++) {
            m.mergeRow(0, i, b, c);
        }
        float[] before = m.gradient().clone();
        assertThat(before).isNotEqualTo(new float[P * H]);
        m.resetTraces();
        assertThat(m.gradient()).containsExactly(before);
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < H; j++) {
                assertThat(m.trace(i, j)).isZero();
                assertThat(m.adaptation(i, j)).isZero();
            }
        }
        m.clear();
        assertThat(m.gradient()).containsOnly(0f);
    }
}
