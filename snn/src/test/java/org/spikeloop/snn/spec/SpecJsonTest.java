package org.spikeloop.snn.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.snn.surrogate.SurrogateSpec;

class SpecJsonTest {

    @Test
    void shouldFillDefaultsForOmittedFields() {
        NetworkSpec spec =
                SpecJson.parse(
                        "{\"inputs\": 96, \"layers\": [{\"size\": 256}], \"readout\": {\"size\": 2}}");

        assertThat(spec.dtMs()).isEqualTo(1.0);
        assertThat(spec.conv()).isNull();
        assertThat(spec.layers()).containsExactly(new LayerSpec(256, true, NeuronSpec.lif()));
        assertThat(spec.readout()).isEqualTo(ReadoutSpec.leaky(2));
    }

    @Test
    void shouldRoundTripEveryField() {
        NeuronSpec alif =
                NeuronSpec.alif()
                        .withAdaptation(350.0, 0.9)
                        .withReset(ResetMode.ZERO, -0.1)
                        .withRefractorySteps(3)
                        .withSurrogate(new SurrogateSpec("fast_sigmoid", 10.0, 1.0));
        NeuronSpec twoComp =
                NeuronSpec.twoCompartment()
                        .withDendrite(7.0, 0.5, true, 0.8)
                        .withDendriticSurrogate(new SurrogateSpec("arctan", 2.0, 1.0));
        NetworkSpec spec =
                new NetworkSpec(
                        0.5,
                        22,
                        new ConvSpec(8, 5, 2, 4, NeuronSpec.lif()),
                        List.of(new LayerSpec(64, true, alif), new LayerSpec(32, false, twoComp)),
                        ReadoutSpec.spikeCount(4, NeuronSpec.lif().withMembrane(10.0, 0.7)));

        assertThat(SpecJson.parse(SpecJson.write(spec))).isEqualTo(spec);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"inputs\": 4, \"layers\": [{\"size\": 3, \"neuron\": {\"tauMemMs\": -5}}], \"readout\": {\"size\": 1}}"
                        + "|layers[0].neuron.tauMemMs must be finite and > 0, got -5.0",
                "{\"inputs\": 4, \"layers\": [{\"size\": 3, \"neuron\": {\"surrogate\": {\"name\": \"spiky\"}}}], \"readout\": {\"size\": 1}}"
                        + "|layers[0].neuron.surrogate.name 'spiky' is unknown",
                "{\"inputs\": 4, \"layers\": [{\"size\": 3}], \"readout\": {\"size\": 1, \"tauOutMs\": 0}}"
                        + "|readout.tauOutMs must be finite and > 0, got 0.0",
                "{\"inputs\": 4, \"layers\": [], \"readout\": {\"size\": 1}}"
                        + "|layers must hold at least one spiking layer",
                "{\"inputs\": 0, \"layers\": [{\"size\": 3}], \"readout\": {\"size\": 1}}"
                        + "|inputs must be >= 1, got 0",
                "{\"layers\": [{\"size\": 3}], \"readout\": {\"size\": 1}}|inputs is missing",
                "{\"inputs\": 4, \"layers\": [{\"size\": 3, \"neuron\": {\"model\": \"izhikevich\"}}], \"readout\": {\"size\": 1}}"
                        + "|layers[0].neuron.model 'izhikevich' is unknown",
                "{\"inputs\": 4, \"layers\": [{\"size\": 3, \"nueron\": {}}], \"readout\": {\"size\": 1}}"
                        + "|layers[0].nueron is not a known field",
                "{\"inputs\": 4, \"conv\": {\"outChannels\": 2, \"kernelSize\": 3, \"padding\": 3}, \"layers\": [{\"size\": 3}], \"readout\": {\"size\": 1}}"
                        + "|conv.padding must be <= kernelSize - 1 = 2, got 3",
                "{\"inputs\": 4, \"layers\": [{\"size\": 3, \"neuron\": {\"refractorySteps\": 1.5}}], \"readout\": {\"size\": 1}}"
                        + "|layers[0].neuron.refractorySteps must be an integer",
                "{\"inputs\": 4, \"layers\": [{\"size\": 3, \"neuron\": {\"surrogate\": {\"scale\": -1}}}], \"readout\": {\"size\": 1}}"
                        + "|layers[0].neuron.surrogate.scale must be finite and > 0",
                "not json|(network) is not valid JSON",
            })
    void shouldRejectInvalidSpecNamingTheField(String json, String message) {
        assertThatThrownBy(() -> SpecJson.parse(json))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith(message);
    }
}
