package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.spec.SpecJson;

class JobDefaultsTest {
    @Test
    void shouldTrainTheArchitectureWithReadoutMseOnBoundedThreads() {
        JobConfig c = JobDefaults.forArchitecture(RigRecordings.spec(), 1);
        assertThat(SpecJson.write(c.spec())).isEqualTo(SpecJson.write(RigRecordings.spec()));
        assertThat(c.json().getAsJsonObject("loss").get("name").getAsString())
                .isEqualTo("readout_mse");
        assertThat(c.options().threads()).isEqualTo(1);
    }

    @Test
    void shouldCapTheThreadsOfAGivenConfig() {
        String json =
                "{\"network\":"
                        + SpecJson.write(RigRecordings.spec())
                        + ",\"loss\":{\"name\":\"readout_mse\"},\"options\":{\"threads\":64}}";
        assertThat(JobDefaults.parse(json, 2).options().threads()).isEqualTo(2);
    }

    @Test
    void shouldNameTheFieldOfAnInvalidConfig() {
        assertThatThrownBy(() -> JobDefaults.parse("{\"network\":{},\"bogus\":1}", 1))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageStartingWith("config: ");
        assertThatThrownBy(() -> JobDefaults.parse("[1,2]", 1))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("not a JSON object");
    }
}
