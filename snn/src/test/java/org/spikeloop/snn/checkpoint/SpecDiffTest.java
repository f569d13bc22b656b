package org.spikeloop.snn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

class SpecDiffTest {
    @Test
    void shouldReportNothingForEqualSpecs() {
        assertThat(SpecDiff.firstDifference(Fixtures.smallSpec(), Fixtures.smallSpec())).isNull();
    }

    @Test
    void shouldNameTheFirstDifferingField() {
        NetworkSpec a = NetworkSpec.recurrent(3, 8, 2, NeuronSpec.lif());
        NetworkSpec b = NetworkSpec.recurrent(3, 16, 2, NeuronSpec.lif());

        assertThat(SpecDiff.firstDifference(a, b)).isEqualTo("layers[0].size: 8 vs 16");
    }

    @Test
    void shouldNameADifferentNumberOfLayers() {
        NetworkSpec a = NetworkSpec.recurrent(3, 8, 2, NeuronSpec.lif());
        NetworkSpec b =
                new NetworkSpec(
                        1.0,
                        3,
                        null,
                        List.of(
                                new LayerSpec(8, true, NeuronSpec.lif()),
                                new LayerSpec(8, true, NeuronSpec.lif())),
                        ReadoutSpec.leaky(2));

        assertThat(SpecDiff.firstDifference(a, b)).isEqualTo("layers has 1 entries vs 2");
    }

    @Test
    void shouldNameAMissingConvFrontEnd() {
        NetworkSpec withConv = Fixtures.smallSpec();
        NetworkSpec without = new NetworkSpec(1.0, 2, null, withConv.layers(), withConv.readout());

        assertThat(SpecDiff.firstDifference(without, withConv)).startsWith("conv: null vs {");
    }
}
