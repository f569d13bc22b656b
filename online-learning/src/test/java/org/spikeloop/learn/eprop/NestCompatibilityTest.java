package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class NestCompatibilityTest {
    private final NetworkSpec spec = EpropFixtures.spec(4, 6, 1, true, NeuronSpec.lif());
    private final NetworkParams params = EpropFixtures.params(spec, 11, 1.5, 0.5);

    /** Gradient of one trial with the given config. */
    private Map<String, double[]> trial(EpropConfig cfg, int steps) {
        EpropReference ref = new EpropReference(spec, params, cfg);
        double[][] x = EpropFixtures.poisson(steps, 4, 0.3, 5);
        double[][] y = EpropFixtures.sines(steps, 1, 6);
        for (int t = 0; t < steps; t++) {
            ref.step(x[t], y[t]);
        }
        return ref.gradients();
    }

    @Test
    void shouldAddNestsTrialAverageRegulariserTerm() {
        int steps = 50;
        double cReg = 300.0;
        double fTargetHz = 10.0;
        EpropConfig base = EpropConfig.builder().optimizer(OptimizerKind.SGD).build();
        EpropConfig nest =
                base.toBuilder()
                        .nestCompatibility(NestCompatibility.BSSHSLM_2020)
                        .rateRegularization(cReg, fTargetHz, 1000.0)
                        .build();
        Map<String, double[]> plain = trial(base, steps);
        Map<String, double[]> withReg = trial(nest, steps);

        // Independent statement of NEST's term: c_reg·(n_j/T − f*·dt)/T·Σ_t ψ_j,t·ε_i,t.
        EpropReference ref = new EpropReference(spec, params, base);
        double[][] x = EpropFixtures.poisson(steps, 4, 0.3, 5);
        double[][] y = EpropFixtures.sines(steps, 1, 6);
        double[] eps = new double[4];
        double[][] sumE = new double[6][4];
        double[] count = new double[6];
        double alpha = spec.layers().get(0).neuron().alpha(spec.dtMs());
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < 4; i++) {
                eps[i] = alpha * eps[i] + x[t][i];
            }
            ref.step(x[t], y[t]);
            double[] psi = ref.pseudoDerivative();
            double[] z = ref.spikes();
            for (int j = 0; j < 6; j++) {
                count[j] += z[j];
                for (int i = 0; i < 4; i++) {
                    sumE[j][i] += psi[j] * eps[i];
                }
            }
        }
        double[] gPlain = plain.get("layer0.w_in");
        double[] gReg = withReg.get("layer0.w_in");
        double maxTerm = 0.0;
        for (int j = 0; j < 6; j++) {
            double reg = cReg * (count[j] / steps - fTargetHz / 1000.0 * spec.dtMs()) / steps;
            for (int i = 0; i < 4; i++) {
                double term = reg * sumE[j][i];
                maxTerm = Math.max(maxTerm, Math.abs(term));
                assertThat(gReg[j * 4 + i] - gPlain[j * 4 + i])
                        .isCloseTo(term, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
        assertThat(maxTerm).isGreaterThan(1e-6); // the term is really there
        assertThat(withReg.get("readout.w_out")).containsExactly(plain.get("readout.w_out"));
    }

    @Test
    void shouldRejectNestCompatibilityInTheFloatLearner() {
        EpropConfig cfg =
                EpropConfig.builder().nestCompatibility(NestCompatibility.BSSHSLM_2020).build();
        FloatNetwork net = new FloatNetwork(spec, params);
        assertThatThrownBy(() -> new FloatEpropLearner(net, cfg))
                .hasMessageContaining(
                        "nestCompatibility: BSSHSLM_2020 is supported by EpropReference only");
    }

    @Test
    void shouldRejectGivenFeedbackInTheFloatLearner() {
        EpropConfig cfg = EpropConfig.builder().feedback(FeedbackMode.GIVEN).build();
        FloatNetwork net = new FloatNetwork(spec, params);
        assertThatThrownBy(() -> new FloatEpropLearner(net, cfg))
                .hasMessageContaining("feedback: GIVEN");
    }
}
