package org.spikeloop.learn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.bptt.Gradients;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

class OptimizerTest {
    private static final NetworkSpec SPEC =
            SpecJson.parse(
                    "{\"inputs\": 2, \"layers\": [{\"size\": 2, \"recurrent\": false}],"
                            + " \"readout\": {\"size\": 1}}");

    @Test
    void shouldTakeBiasCorrectedAdamStepOfLearningRateTimesSign() {
        NetworkParams p = NetworkParams.zeros(SPEC);
        Gradients g = new Gradients(SPEC);
        g.get("layer0.w_in").data()[0] = 0.5;
        g.get("layer0.w_in").data()[1] = -2.0;
        Adam.withLearningRate(0.1).step(p, g, Set.of());
        assertThat(p.get("layer0.w_in").data()[0]).isCloseTo(-0.1, offset(1e-6));
        assertThat(p.get("layer0.w_in").data()[1]).isCloseTo(0.1, offset(1e-6));
        assertThat(p.get("layer0.w_in").data()[2]).isZero();
    }

    @Test
    void shouldApplySgdWithMomentumAndSkipFrozen() {
        NetworkParams p = NetworkParams.zeros(SPEC);
        Gradients g = new Gradients(SPEC);
        g.get("readout.bias").data()[0] = 1.0;
        g.get("layer0.bias").data()[0] = 1.0;
        Sgd sgd = new Sgd(0.1, 0.5);
        sgd.step(p, g, Set.of("layer0.bias"));
        sgd.step(p, g, Set.of("layer0.bias"));
        assertThat(p.get("readout.bias").data()[0]).isCloseTo(-0.1 - 0.15, offset(1e-12));
        assertThat(p.get("layer0.bias").data()[0]).isZero();
    }

    @Test
    void shouldClipByGlobalNormKeepingDirection() {
        Gradients g = new Gradients(SPEC);
        g.get("readout.bias").data()[0] = 3.0;
        g.get("layer0.bias").data()[1] = 4.0;
        assertThat(GradientClipping.clipGlobalNorm(g, 1.0)).isEqualTo(5.0);
        assertThat(g.globalNorm()).isCloseTo(1.0, offset(1e-12));
        assertThat(g.get("readout.bias").data()[0]).isCloseTo(0.6, offset(1e-12));
        assertThat(GradientClipping.clipGlobalNorm(g, 2.0)).isCloseTo(1.0, offset(1e-12));
        assertThat(g.globalNorm()).isCloseTo(1.0, offset(1e-12));
    }

    @Test
    void shouldRejectBadHyperparametersNamingThem() {
        assertThatThrownBy(() -> new Adam(0, 0.9, 0.999, 1e-8))
                .hasMessageStartingWith("training.learningRate");
        assertThatThrownBy(() -> new Sgd(0.1, 1.0)).hasMessageStartingWith("training.momentum");
        assertThatThrownBy(() -> GradientClipping.clipGlobalNorm(new Gradients(SPEC), 0))
                .hasMessageStartingWith("training.clipNorm");
    }
}
