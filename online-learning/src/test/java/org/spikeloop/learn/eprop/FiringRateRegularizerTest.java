package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spikeloop.learn.eprop.EpropFixtures.spec;
import static org.spikeloop.snn.params.ParameterNames.bias;

import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class FiringRateRegularizerTest {

    /**
     * Neuron 0 fires every step (1000 Hz at dt = 1 ms), neuron 1 never: after T steps f̂ is 1000·(1
     * − dᵀ) and 0, and R = λ·(f̂ − f*).
     */
    @Test
    void shouldEstimateTheRateAndSignalItsDistanceToTheTarget() {
        NetworkSpec spec = spec(1, 2, 1, false, NeuronSpec.lif());
        NetworkParams p = NetworkParams.zeros(spec);
        p.get(bias(0)).data()[0] = 5.0;
        p.get(bias(0)).data()[1] = -5.0;
        FloatNetwork net = new FloatNetwork(spec, p);
        double tauMs = 100.0;
        FiringRateRegularizer reg = new FiringRateRegularizer(2, 1.0, tauMs, 0.5, 10.0);
        float[] out = new float[1];
        int steps = 300;
        int spikes = 0;
        for (int t = 0; t < steps; t++) {
            net.step(new float[1], out);
            spikes += (int) net.layer(0).z(0);
            reg.observe(net.layer(0));
        }
        assertThat(spikes).isEqualTo(steps);
        double expected = 1000.0 * (1.0 - Math.pow(Math.exp(-1.0 / tauMs), steps));
        assertThat((double) reg.rateHz(0))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.1));
        assertThat(reg.rateHz(1)).isZero();
        float[] r = new float[5];
        reg.signal(r, 3);
        assertThat((double) r[3])
                .isCloseTo(0.5 * (expected - 10.0), org.assertj.core.data.Offset.offset(0.05));
        assertThat(r[4]).isEqualTo(-5f);
        assertThat(r[0]).isZero();
    }
}
