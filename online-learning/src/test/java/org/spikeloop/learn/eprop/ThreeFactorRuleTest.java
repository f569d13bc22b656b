package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.spikeloop.learn.eprop.EpropFixtures.*;
import static org.spikeloop.snn.params.ParameterNames.*;

import org.junit.jupiter.api.Test;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class ThreeFactorRuleTest {
    @Test
    void shouldEqualEpropForASingleNeuron() {
        NetworkSpec spec = spec(5, 1, 1, false, NeuronSpec.lif());
        NetworkParams p = params(spec, 81, 3.0, 0.0);
        double[][] x = poisson(120, 5, 0.3, 82);
        double[][] y = sines(120, 1, 83);
        EpropReference ref = new EpropReference(spec, p, EpropConfig.builder().build());
        double alpha = NeuronSpec.lif().alpha(1.0);
        double kappa = spec.readout().kappa(1.0);
        double wOut = p.get(READOUT_WEIGHT).data()[0];
        double[] trace = new double[5];
        double[] eBar = new double[5];
        double[] sum = new double[5]; // Σ_t L·ē, via update with η = −1
        int spikes = 0;
        for (int t = 0; t < x.length; t++) {
            ThreeFactorRule.presynapticTrace(trace, x[t], alpha);
            ref.step(x[t], y[t]);
            ThreeFactorRule.eligibility(eBar, trace, ref.pseudoDerivative()[0], kappa);
            double error = ref.readout()[0] - y[t][0];
            ThreeFactorRule.update(sum, eBar, wOut * error, -1.0);
            spikes += (int) ref.spikes()[0];
        }
        assertThat(spikes).isGreaterThan(3);
        double[] expected = ref.gradients().get(inputWeights(0));
        double scale = 0.0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(scale).isGreaterThan(1e-6);
        for (int i = 0; i < 5; i++) {
            assertThat(sum[i]).isCloseTo(expected[i], within(1e-12 * scale));
        }
    }
}
