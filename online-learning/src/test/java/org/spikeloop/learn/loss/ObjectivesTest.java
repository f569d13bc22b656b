package org.spikeloop.learn.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

class ObjectivesTest {
    private static final NetworkSpec LEAKY =
            SpecJson.parse(
                    "{\"inputs\": 3, \"layers\": [{\"size\": 4}], \"readout\": {\"size\": 2}}");
    private static final NetworkSpec SPIKING =
            SpecJson.parse(
                    "{\"inputs\": 3, \"layers\": [{\"size\": 4}],"
                            + " \"readout\": {\"type\": \"spike_count\", \"size\": 2}}");

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    @Test
    void shouldRejectUnknownLossName() {
        assertThatThrownBy(() -> Objectives.parse(json("{\"loss\": {\"name\": \"hinge\"}}"), LEAKY))
                .hasMessageStartingWith("loss.name 'hinge' is unknown; known: [spike_count_ce");
    }

    @Test
    void shouldRejectUnknownRegulariserName() {
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json(
                                                "{\"loss\": {\"name\": \"readout_mse\"},"
                                                        + " \"regularisers\": [{\"name\": \"l2\","
                                                        + " \"weight\": 1}]}"),
                                        LEAKY))
                .hasMessageStartingWith("regularisers[0].name 'l2' is unknown");
    }

    @Test
    void shouldRejectLossThatDoesNotFitTheReadout() {
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json("{\"loss\": {\"name\": \"readout_mse\"}}"), SPIKING))
                .hasMessageContaining("needs a leaky readout");
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json("{\"loss\": {\"name\": \"spike_count_ce\"}}"), LEAKY))
                .hasMessageContaining("needs a spike_count readout");
    }

    @Test
    void shouldRejectUnknownPopulationAndMissingLoss() {
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json(
                                                "{\"loss\": {\"name\": \"membrane_target\","
                                                        + " \"population\": \"layer7\"}}"),
                                        LEAKY))
                .hasMessageStartingWith("loss.population 'layer7' is not a spiking population");
        assertThatThrownBy(() -> Objectives.parse(json("{}"), LEAKY))
                .hasMessageStartingWith("loss is missing");
    }

    @Test
    void shouldBuildTheReadoutCrossEntropyInEitherForm() {
        assertThat(Objectives.parse(json("{\"loss\": {\"name\": \"readout_ce\"}}"), LEAKY))
                .extracting(ObjectiveTerm::name)
                .containsExactly("readout_ce");
        assertThat(
                        Objectives.parse(
                                json(
                                        "{\"loss\": {\"name\": \"readout_ce\", \"average\": \"step\"}}"),
                                LEAKY))
                .hasSize(1);
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json(
                                                "{\"loss\": {\"name\": \"readout_ce\","
                                                        + " \"average\": \"max\"}}"),
                                        LEAKY))
                .hasMessage("loss.average 'max' is unknown; known: [window, step]");
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json("{\"loss\": {\"name\": \"readout_ce\"}}"), SPIKING))
                .hasMessageContaining("'readout_ce' needs a leaky readout");
    }

    @Test
    void shouldBuildEveryTermByName() {
        assertThat(
                        Objectives.parse(
                                json(
                                        "{\"loss\": {\"name\": \"first_to_spike\"}, \"regularisers\":"
                                                + " [{\"name\": \"spike_count\", \"weight\": 1},"
                                                + " {\"name\": \"rate_target\", \"weight\": 1,"
                                                + " \"targetHz\": 5}, {\"name\": \"membrane\","
                                                + " \"weight\": 1}, {\"name\":"
                                                + " \"information_bottleneck\", \"weight\": 1}]}"),
                                SPIKING))
                .extracting(ObjectiveTerm::name)
                .containsExactly(
                        "first_to_spike",
                        "spike_count",
                        "rate_target",
                        "membrane",
                        "information_bottleneck");
    }

    @Test
    void shouldRejectAPriorRateThatIsNotAProbabilityPerStep() {
        assertThatThrownBy(
                        () ->
                                Objectives.parse(
                                        json(
                                                "{\"loss\": {\"name\": \"readout_mse\"},"
                                                        + " \"regularisers\": [{\"name\":"
                                                        + " \"information_bottleneck\", \"weight\":"
                                                        + " 1, \"priorHz\": 1000}]}"),
                                        LEAKY))
                .hasMessage(
                        "regularisers[0].priorHz must be > 0 and below 1/dt (1000.0 Hz), got"
                                + " 1000.0");
    }
}
