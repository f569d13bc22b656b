package org.spikeloop.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;

class WeightGuardTest {
    private final NetworkParams p =
            Initializer.initialise(RigRecordings.spec(), InitSpec.seeded(1));

    @Test
    void shouldPassFiniteWeightsWithinTheLimit() {
        assertThat(WeightGuard.check(p, 1e6)).isNull();
    }

    @Test
    void shouldNameTheFirstNonFiniteValue() {
        p.get("layer0.w_rec").data()[5] = Double.POSITIVE_INFINITY;
        assertThat(WeightGuard.check(p, 1e6))
                .isEqualTo("non-finite weights: layer0.w_rec[5] = Infinity");
    }

    @Test
    void shouldFireAboveTheNormLimitButIgnoreBiases() {
        p.get("layer0.bias").data()[0] = 1e9; // not a weight matrix
        assertThat(WeightGuard.check(p, 1e3)).isNull();
        p.get("readout.w_out").data()[0] = 2e3;
        assertThat(WeightGuard.check(p, 1e3)).contains("above the limit");
    }
}
