package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spikeloop.learn.eprop.EpropFixtures.*;

import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.surrogate.Surrogate;
import org.spikeloop.snn.surrogate.SurrogateSpec;

class WindowBuffersTest {
    private static final int SLOTS = 4;
    private static final int W = 8;
    private static final int INPUTS = 6;
    private static final int H = 10;
    private static final int P = INPUTS + 1 + H;
    private static final float ALPHA = 0.9f;
    private static final float KAPPA = 0.8f;

    private final double[][] x = poisson(64, INPUTS, 0.3, 21);
    private final float[] out = new float[1];

    private FloatNetwork network(SurrogateSpec surrogate) {
        NeuronSpec n = NeuronSpec.lif().withRefractorySteps(2).withSurrogate(surrogate);
        NetworkSpec spec = spec(INPUTS, H, 1, true, n);
        return new FloatNetwork(spec, params(spec, 22, 3.0, 1.0));
    }

    private float[] frame(int t) {
        float[] f = new float[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            f[i] = (float) x[t][i];
        }
        return f;
    }

    /** Buffers for one recurrent layer with this class's sizes, α and κ. */
    private static WindowBuffers buffers(SurrogateSpec surrogate) {
        return new WindowBuffers(SLOTS, W, INPUTS, H, true, false, ALPHA, KAPPA, surrogate);
    }

    /** Steps {@code net} through frames 0..steps−1, recording each into {@code slot}'s rows. */
    private void recordSteps(FloatNetwork net, WindowBuffers b, int slot, int steps) {
        for (int q = 0; q < steps; q++) {
            net.step(frame(q), out);
            b.recordPresynaptic(slot, q, frame(q), net.layer(0));
            b.recordPseudoDerivatives(slot, q, net.layer(0));
        }
    }

    /** p_t = [x_t, 1, z_{t−1}] as row q, bit q of each non-zero row, ε_i ← α·ε_i + p_i. */
    @Test
    void shouldRecordThePresynapticValuesTheirNonZeroStepsAndTraces() {
        FloatNetwork net = network(SurrogateSpec.EPROP_DEFAULT);
        WindowBuffers b = buffers(SurrogateSpec.EPROP_DEFAULT);
        float[] eps = new float[P];
        int recurrentSpikes = 0;
        for (int q = 0; q < W; q++) {
            float[] xf = frame(q);
            net.step(xf, out);
            LayerState s = net.layer(0);
            b.recordPresynaptic(1, q, xf, s);
            float[] p = new float[P];
            System.arraycopy(xf, 0, p, 0, INPUTS);
            p[INPUTS] = 1f;
            for (int j = 0; j < H; j++) {
                p[INPUTS + 1 + j] = s.zPrev(j);
                recurrentSpikes += (int) s.zPrev(j);
            }
            for (int i = 0; i < P; i++) {
                eps[i] = ALPHA * eps[i] + p[i];
                assertThat(b.presynapticValues(1)[q * P + i]).isEqualTo(p[i]);
                long bit = b.nonZero(1)[i * b.maskWords()] >>> q & 1L;
                assertThat(bit).as("row %d step %d", i, q).isEqualTo(p[i] != 0f ? 1L : 0L);
                assertThat(b.epsilon(i)).isEqualTo(eps[i]);
            }
        }
        assertThat(recurrentSpikes).isPositive();
        assertThat(b.nonZero(0)).containsOnly(0L); // other slots untouched
    }

    /** ψ = (γ/w)·max(0, 1 − |v − A|/w), 0 on a step that began refractory (eq. (17)). */
    @Test
    void shouldRecordTheTrianglePseudoDerivativeAndZeroWhileRefractory() {
        SurrogateSpec triangle = new SurrogateSpec("triangle", 0.5, 0.3);
        FloatNetwork net = network(triangle);
        WindowBuffers b = buffers(triangle);
        int refractory = 0;
        int positive = 0;
        for (int q = 0; q < W; q++) {
            net.step(frame(q), out);
            LayerState s = net.layer(0);
            b.recordPseudoDerivatives(2, q, s);
            for (int j = 0; j < H; j++) {
                float t = 1f - Math.abs(s.v(j) - s.effectiveThreshold(j)) * (float) (1.0 / 0.5);
                float expected = s.wasRefractory(j) ? 0f : (t > 0f ? (float) (0.3 / 0.5) * t : 0f);
                assertThat(b.pseudoDerivatives(2)[q * H + j]).isEqualTo(expected);
                assertThat(b.psi(j)).isEqualTo(expected);
                refractory += s.wasRefractory(j) ? 1 : 0;
                positive += expected > 0f ? 1 : 0;
            }
        }
        assertThat(refractory).isPositive();
        assertThat(positive).isPositive();
    }

    /** Any other surrogate: its own derivative at v − A. */
    @Test
    void shouldRecordAnyOtherSurrogatesDerivative() {
        SurrogateSpec sigmoid = new SurrogateSpec("fast_sigmoid", 5.0, 1.0);
        Surrogate f = sigmoid.create();
        FloatNetwork net = network(sigmoid);
        WindowBuffers b = buffers(sigmoid);
        for (int q = 0; q < W; q++) {
            net.step(frame(q), out);
            LayerState s = net.layer(0);
            b.recordPseudoDerivatives(0, q, s);
            for (int j = 0; j < H; j++) {
                float expected =
                        s.wasRefractory(j)
                                ? 0f
                                : (float) f.derivative(s.v(j) - s.effectiveThreshold(j));
                assertThat(b.pseudoDerivatives(0)[q * H + j]).isEqualTo(expected);
            }
        }
    }

    @Test
    void shouldRecordTheSignalsOfALearningStepAndZerosOtherwise() {
        FloatNetwork net = network(SurrogateSpec.EPROP_DEFAULT);
        WindowBuffers b =
                new WindowBuffers(
                        SLOTS, W, INPUTS, H, true, true, ALPHA, KAPPA, SurrogateSpec.EPROP_DEFAULT);
        FiringRateRegularizer reg = new FiringRateRegularizer(H, 1.0, 100.0, 0.5, 10.0);
        net.step(frame(0), out);
        reg.observe(net.layer(0));
        float[] signal = new float[H];
        for (int j = 0; j < H; j++) {
            signal[j] = j + 1f;
        }
        b.recordSignals(3, 2, signal, reg);
        float[] r = new float[H];
        reg.signal(r, 0);
        for (int j = 0; j < H; j++) {
            assertThat(b.learningSignals(3)[2 * H + j]).isEqualTo(j + 1f);
            assertThat(b.regularizerSignals(3)[2 * H + j]).isEqualTo(r[j]).isNotZero();
        }
        b.recordSignals(3, 2, null, reg);
        for (int j = 0; j < H; j++) {
            assertThat(b.learningSignals(3)[2 * H + j]).isZero();
            assertThat(b.regularizerSignals(3)[2 * H + j]).isZero();
        }
    }

    /** At a close: κⁿ for the closed slot, ε_i and ψ as the next slot's start values. */
    @Test
    void shouldLatchTheNextWindowsStartValuesAtAClose() {
        FloatNetwork net = network(SurrogateSpec.EPROP_DEFAULT);
        WindowBuffers b = buffers(SurrogateSpec.EPROP_DEFAULT);
        recordSteps(net, b, 3, 5);
        b.close(3, 5, 0);
        assertThat(b.kappaPower(3)).isEqualTo(KAPPA * KAPPA * KAPPA * KAPPA * KAPPA);
        for (int i = 0; i < P; i++) {
            assertThat(b.epsilonStart(0)[i]).isEqualTo(b.epsilon(i));
        }
        for (int j = 0; j < H; j++) {
            assertThat(b.psiStart(0)[j]).isEqualTo(b.psi(j));
        }
        assertThat(b.epsilonStart(0)[INPUTS]).isPositive(); // the bias row's trace
        b.discard(3);
        assertThat(b.nonZero(3)).containsOnly(0L);
    }

    /** After resetTraces the filling window starts from ε_i(t0) = 0, ψ_{t0} = 0. */
    @Test
    void shouldStartTheFillingWindowFromZeroTracesAfterAReset() {
        FloatNetwork net = network(SurrogateSpec.EPROP_DEFAULT);
        WindowBuffers b = buffers(SurrogateSpec.EPROP_DEFAULT);
        recordSteps(net, b, 0, 5);
        b.close(0, 5, 1);
        assertThat(b.epsilonStart(1)[INPUTS]).isPositive();
        b.resetTraces(1);
        assertThat(b.epsilonStart(1)).containsOnly(0f);
        assertThat(b.psiStart(1)).containsOnly(0f);
        for (int i = 0; i < P; i++) {
            assertThat(b.epsilon(i)).isZero();
        }
    }
}
