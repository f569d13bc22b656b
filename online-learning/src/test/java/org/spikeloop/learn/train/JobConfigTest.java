package org.spikeloop.learn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobConfigTest {
    private static final String NET =
            "\"network\": {\"inputs\": 2, \"layers\": [{\"size\": 3}], \"readout\": {\"size\": 1}}";

    @Test
    void shouldParseDefaults() {
        JobConfig c = JobConfig.parse("{" + NET + ", \"loss\": {\"name\": \"readout_mse\"}}");
        assertThat(c.training().optimizer()).isEqualTo("adam");
        assertThat(c.training().batchSize()).isEqualTo(32);
        assertThat(c.options().detachReset()).isFalse();
    }

    @Test
    void shouldRejectUnknownFieldsAndNamesWithTheirPath() {
        assertThatThrownBy(() -> JobConfig.parse("{" + NET + ", \"los\": {}}"))
                .hasMessageStartingWith("los is not a known field");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        "{"
                                                + NET
                                                + ", \"loss\": {\"name\": \"readout_mse\"},"
                                                + " \"training\": {\"optimizer\": \"rmsprop\"}}"))
                .hasMessageStartingWith("training.optimizer 'rmsprop' is unknown");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        "{"
                                                + NET
                                                + ", \"loss\": {\"name\": \"readout_mse\"},"
                                                + " \"training\": {\"freeze\": [\"layer9.bias\"]}}"))
                .hasMessageStartingWith("training.freeze[0] 'layer9.bias' is not a parameter");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        "{\"network\": {\"inputs\": 0, \"layers\": [{\"size\": 3}],"
                                                + " \"readout\": {\"size\": 1}}, \"loss\": {\"name\":"
                                                + " \"readout_mse\"}}"))
                .hasMessageStartingWith("network.inputs");
        assertThatThrownBy(() -> JobConfig.parse("{" + NET + ", \"loss\": {\"name\": \"nope\"}}"))
                .hasMessageStartingWith("loss.name 'nope' is unknown");
    }
}
