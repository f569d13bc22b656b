package org.spikeloop.snn.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class NetworkParamsTest {
    private final NetworkSpec spec = NetworkSpec.recurrent(5, 4, 2, NeuronSpec.lif());

    @Test
    void shouldListShapesInCanonicalOrder() {
        Map<String, int[]> shapes = NetworkParams.expectedShapes(spec);

        assertThat(shapes.keySet())
                .containsExactly(
                        "layer0.w_in",
                        "layer0.w_rec",
                        "layer0.bias",
                        "layer0.threshold",
                        "layer0.reset_offset",
                        "readout.w_out",
                        "readout.bias");
        assertThat(shapes.get("layer0.w_in")).containsExactly(4, 5);
        assertThat(shapes.get("readout.w_out")).containsExactly(2, 4);
    }

    @Test
    void shouldStartThresholdsAtTheirInitialValue() {
        NetworkParams p = NetworkParams.zeros(spec);

        assertThat(p.get("layer0.threshold").data()).containsOnly(1.0);
        assertThat(p.count()).isEqualTo(20 + 16 + 4 + 4 + 4 + 8 + 2);
    }

    @Test
    void shouldRejectMismatchedShape() {
        Map<String, Tensor> named = copyOf(Initializer.initialise(spec, InitSpec.seeded(1)));
        named.put("layer0.w_in", Tensor.zeros(4, 6));

        assertThatThrownBy(() -> NetworkParams.of(spec, named))
                .hasMessage("parameter layer0.w_in has shape [4, 6], architecture needs [4, 5]");
    }

    @Test
    void shouldRejectMissingAndUnknownParameters() {
        Map<String, Tensor> missing = copyOf(NetworkParams.zeros(spec));
        missing.remove("readout.bias");
        Map<String, Tensor> extra = copyOf(NetworkParams.zeros(spec));
        extra.put("layer1.w_in", Tensor.zeros(1));

        assertThatThrownBy(() -> NetworkParams.of(spec, missing))
                .hasMessageStartingWith("parameter readout.bias is missing");
        assertThatThrownBy(() -> NetworkParams.of(spec, extra))
                .hasMessageStartingWith("parameter layer1.w_in is not part of this architecture");
    }

    @Test
    void shouldRejectNonFiniteValuesAndAutapses() {
        Map<String, Tensor> nan = copyOf(NetworkParams.zeros(spec));
        nan.get("layer0.bias").data()[2] = Double.POSITIVE_INFINITY;
        Map<String, Tensor> autapse = copyOf(NetworkParams.zeros(spec));
        autapse.get("layer0.w_rec").data()[1 * 4 + 1] = 0.5;

        assertThatThrownBy(() -> NetworkParams.of(spec, nan))
                .hasMessage(
                        "parameter layer0.bias has a non-finite value at flat index 2: Infinity");
        assertThatThrownBy(() -> NetworkParams.of(spec, autapse))
                .hasMessageContaining("non-zero diagonal at [1, 1]");
    }

    private static Map<String, Tensor> copyOf(NetworkParams p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        p.asMap().forEach((k, v) -> m.put(k, v.copy()));
        return m;
    }
}
