package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * {@link WindowCoefficients}: the factorised window update of one synapse, g, ē and ε^a at t1 from
 * their values at t0, ε_i(t0) and the raw p_i^u, against the per-step rule it replaces (Bellec et
 * al. 2020, Methods eqs. (13)–(14), (24)–(26), (28), (38), as {@link EpropReference} runs it).
 */
class WindowCoefficientsTest {
    private static final int SLOTS = 4;
    private static final int W = 16;
    private static final int H = 3;
    private static final int SLOT = 2;
    private static final float ALPHA = 0.95f;
    private static final float RHO = 0.98f;
    private static final float KAPPA = 0.9f;
    private static final float C = 1f - KAPPA;

    private static WindowBuffers buffers(boolean regularise) {
        return new WindowBuffers(
                SLOTS, W, 2, H, false, regularise, ALPHA, KAPPA, SurrogateSpec.EPROP_DEFAULT);
    }

    /** Random ψ (a quarter zero, as while refractory or far from threshold), L, R and ψ_{t0}. */
    private static void record(WindowBuffers b, int n, boolean regularise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] psi = b.pseudoDerivatives(SLOT);
        float[] l = b.learningSignals(SLOT);
        float[] r = b.regularizerSignals(SLOT);
        for (int q = 0; q < n; q++) {
            for (int j = 0; j < H; j++) {
                psi[q * H + j] = rng.nextInt(4) == 0 ? 0f : (float) (0.3 * rng.nextDouble());
                l[q * H + j] = (float) (2 * rng.nextDouble() - 1);
                if (regularise) {
                    r[q * H + j] = (float) (2 * rng.nextDouble() - 1);
                }
            }
        }
        for (int j = 0; j < H; j++) {
            b.psiStart(SLOT)[j] = (float) (0.3 * rng.nextDouble());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1, false",
        "0, 5, true",
        "0, 16, true",
        "0.4, 1, false",
        "0.4, 5, true",
        "0.4, 16, false",
        "0.4, 16, true"
    })
    void shouldAdvanceASynapseOverTheWindowAsThePerStepRuleDoes(
            double betaD, int n, boolean regularise) {
        float beta = (float) betaD;
        boolean alif = beta > 0f;
        WindowBuffers b = buffers(regularise);
        record(b, n, regularise, 7L * n + (alif ? 1 : 0));
        WindowCoefficients c =
                new WindowCoefficients(SLOTS, W, H, alif, regularise, ALPHA, RHO, beta, KAPPA, C);
        c.compute(SLOT, n, 0, H, b);
        float[] psi = b.pseudoDerivatives(SLOT);
        float[] l = b.learningSignals(SLOT);
        float[] r = b.regularizerSignals(SLOT);
        SplittableRandom rng = new SplittableRandom(99);
        double largest = 0.0;
        for (int j = 0; j < H; j++) {
            for (int trial = 0; trial < 5; trial++) {
                double e0 = rng.nextDouble() - 0.5;
                double a0 = alif ? rng.nextDouble() - 0.5 : 0.0;
                double ev0 = 2 * rng.nextDouble();
                double[] p = new double[n];
                for (int u = 0; u < n; u++) {
                    p[u] = rng.nextInt(3) == 0 ? 1.0 : 0.0;
                }
                // The per-step rule, in float64.
                double epsV = ev0;
                double epsA = a0;
                double eBar = e0;
                double g = 0.0;
                double psiPrev = b.psiStart(SLOT)[j];
                for (int u = 0; u < n; u++) {
                    double s = psi[u * H + j];
                    epsA = psiPrev * epsV + (RHO - beta * psiPrev) * epsA;
                    epsV = ALPHA * epsV + p[u];
                    double e = s * (epsV - beta * epsA);
                    eBar = KAPPA * eBar + C * e;
                    g += l[u * H + j] * eBar + (regularise ? r[u * H + j] * e : 0.0);
                    psiPrev = s;
                }
                // The factorised form with the computed coefficients.
                double kn = Math.pow(KAPPA, n);
                double gF =
                        c.gradientFromTrace(SLOT)[j] * e0
                                + c.gradientFromAdaptation(SLOT)[j] * a0
                                + c.gradientFromEpsilon(SLOT)[j] * ev0;
                double eF =
                        kn * e0
                                + c.traceFromAdaptation(SLOT)[j] * a0
                                + c.traceFromEpsilon(SLOT)[j] * ev0;
                double aF =
                        alif
                                ? c.adaptationFromAdaptation(SLOT)[j] * a0
                                        + c.adaptationFromEpsilon(SLOT)[j] * ev0
                                : 0.0;
                for (int u = 0; u < n; u++) {
                    gF += p[u] * c.gradientPerStep(SLOT)[u * H + j];
                    eF += p[u] * c.tracePerStep(SLOT)[u * H + j];
                    if (alif) {
                        aF += p[u] * c.adaptationPerStep(SLOT)[u * H + j];
                    }
                }
                assertThat(gF).as("g, neuron %d", j).isCloseTo(g, within(g));
                assertThat(eF).as("ē, neuron %d", j).isCloseTo(eBar, within(eBar));
                if (alif) {
                    assertThat(aF).as("ε^a, neuron %d", j).isCloseTo(epsA, within(epsA));
                }
                largest = Math.max(largest, Math.abs(g));
            }
        }
        assertThat(largest).as("the gradient is not trivially zero").isGreaterThan(1e-3);
    }

    private static org.assertj.core.data.Offset<Double> within(double reference) {
        return org.assertj.core.data.Offset.offset(1e-5 * (1.0 + Math.abs(reference)));
    }

    /**
     * Each neuron's recursion is independent: computing it in ranges over several steps is exact.
     */
    @Test
    void shouldGiveTheSameCoefficientsWhenComputedInRangesOfNeurons() {
        WindowBuffers b = buffers(true);
        record(b, 11, true, 5);
        WindowCoefficients whole =
                new WindowCoefficients(SLOTS, W, H, true, true, ALPHA, RHO, 0.4f, KAPPA, C);
        WindowCoefficients parts =
                new WindowCoefficients(SLOTS, W, H, true, true, ALPHA, RHO, 0.4f, KAPPA, C);
        whole.compute(SLOT, 11, 0, H, b);
        parts.compute(SLOT, 11, 0, 1, b);
        parts.compute(SLOT, 11, 1, 3, b);
        assertThat(parts.gradientPerStep(SLOT)).containsExactly(whole.gradientPerStep(SLOT));
        assertThat(parts.tracePerStep(SLOT)).containsExactly(whole.tracePerStep(SLOT));
        assertThat(parts.adaptationPerStep(SLOT)).containsExactly(whole.adaptationPerStep(SLOT));
        assertThat(parts.gradientFromEpsilon(SLOT))
                .containsExactly(whole.gradientFromEpsilon(SLOT));
        assertThat(parts.adaptationFromAdaptation(SLOT))
                .containsExactly(whole.adaptationFromAdaptation(SLOT));
        assertThat(whole.gradientFromEpsilon(SLOT)).isNotEqualTo(new float[H]);
    }
}
