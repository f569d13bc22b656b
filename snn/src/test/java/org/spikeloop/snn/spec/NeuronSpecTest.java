package org.spikeloop.snn.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NeuronSpecTest {

    @Test
    void shouldComputeDecaysFromTimeConstants() {
        NeuronSpec n = NeuronSpec.alif().withMembrane(20.0, 1.0).withAdaptation(200.0, 1.0);

        assertThat(n.alpha(1.0)).isEqualTo(Math.exp(-1.0 / 20.0));
        assertThat(n.rho(1.0)).isEqualTo(Math.exp(-1.0 / 200.0));
        assertThat(n.alphaDend(1.0)).isEqualTo(Math.exp(-1.0 / 10.0));
    }

    @Test
    void shouldRejectNegativeRefractoryPeriod() {
        assertThatThrownBy(() -> NeuronSpec.lif().withRefractorySteps(-1))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("refractorySteps must be >= 0, got -1");
    }

    @Test
    void shouldRejectNonFiniteThreshold() {
        assertThatThrownBy(() -> NeuronSpec.lif().withMembrane(20.0, Double.NaN))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("thresholdInit must be finite and > 0, got NaN");
    }

    @Test
    void shouldRejectKappaOutsideUnitIntervalThroughTauOut() {
        // κ = e^(−dt/τ_out) lies in (0, 1) exactly when τ_out > 0: the spec guards τ_out.
        assertThatThrownBy(() -> new ReadoutSpec(ReadoutType.LEAKY, 2, -20.0, NeuronSpec.lif()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("tauOutMs must be finite and > 0, got -20.0");
        assertThat(ReadoutSpec.leaky(2).kappa(1.0)).isStrictlyBetween(0.0, 1.0);
    }
}
