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

    private static final String CLASSIFIER =
            "\"network\": {\"inputs\": 2, \"layers\": [{\"size\": 3}], \"readout\": {\"size\": 2}},"
                    + " \"loss\": {\"name\": \"readout_ce\"}";

    private static String task(String fields) {
        return "{"
                + CLASSIFIER
                + ", \"task\": {\"kind\": \"classification\", \"classNames\": [\"left\","
                + " \"right\"], \"trialS\": 4"
                + fields
                + "}}";
    }

    @Test
    void shouldDefaultToARegressionTaskWithoutAFrontEnd() {
        JobConfig c = JobConfig.parse("{" + NET + ", \"loss\": {\"name\": \"readout_mse\"}}");
        assertThat(c.task().kind()).isEqualTo(TaskSpec.Kind.REGRESSION);
        assertThat(c.task().protocol()).isNull();
        assertThat(c.frontEnd()).isNull();
    }

    @Test
    void shouldParseAClassificationTaskWithCuesByNameOrIndex() {
        JobConfig c =
                JobConfig.parse(
                        task(
                                ", \"cueClasses\": {\"769\": \"left\", \"770\": 1, \"left_hand\":"
                                        + " \"left\"}, \"startOffsetS\": 0.5, \"endCues\":"
                                        + " [800], \"ignoredMarkers\": [\"768\"]"));
        TaskSpec t = c.task();
        assertThat(t.kind()).isEqualTo(TaskSpec.Kind.CLASSIFICATION);
        assertThat(t.protocol().classOf("769.0")).isZero();
        assertThat(t.protocol().classOf("770")).isEqualTo(1);
        assertThat(t.protocol().classOf("left_hand")).isZero();
        assertThat(t.protocol().startOffsetS()).isEqualTo(0.5);
        assertThat(t.protocol().endCues()).containsExactly("800");
        assertThat(t.leadInS()).isEqualTo(TaskSpec.DEFAULT_LEAD_IN_S);
        assertThat(TaskSpec.parse(t.toJson())).isEqualTo(t);
    }

    @Test
    void shouldNameTheTaskFieldOfEachError() {
        assertThatThrownBy(() -> JobConfig.parse(task(", \"cueClasses\": {\"769\": \"up\"}")))
                .hasMessage(
                        "task.cueClasses: '769' → 'up', which is not in classNames [left, right]");
        assertThatThrownBy(() -> JobConfig.parse(task(", \"cueClasses\": {\"769\": 0}")))
                .hasMessage("task.cueClasses: class 1 ('right') has no cue");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        task(
                                                ", \"cueClasses\": {\"a\": 0, \"b\": 1},"
                                                        + " \"startOffsetS\": -1")))
                .hasMessage("task.startOffsetS: must be in [0, 600.0] s, got -1.0");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        task(
                                                ", \"cueClasses\": {\"a\": 0, \"b\": 1}, \"trial\": 2")))
                .hasMessageStartingWith("task.trial is not a known field");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        task(
                                                ", \"cueClasses\": {\"a\": 0, \"b\": 1}, \"leadInS\": 11")))
                .hasMessage("task.leadInS must be in [0, 10.0] s, got 11.0");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        "{"
                                                + NET
                                                + ", \"loss\": {\"name\": \"readout_mse\"},"
                                                + " \"task\": {\"kind\": \"sorting\"}}"))
                .hasMessage("task.kind 'sorting' is unknown; known: [regression, classification]");
    }

    @Test
    void shouldRefuseAClassificationNetworkThatDoesNotFitTheTask() {
        String cues = ", \"cueClasses\": {\"a\": 0, \"b\": 1}";
        assertThatThrownBy(
                        () -> JobConfig.parse(task(cues).replace("\"size\": 2}", "\"size\": 3}")))
                .hasMessage(
                        "network.readout.size is 3 but task.classNames has 2 classes (one output"
                                + " per class)");
        assertThatThrownBy(() -> JobConfig.parse(task(cues).replace("readout_ce", "readout_mse")))
                .hasMessage(
                        "loss.name: a classification task trains readout_ce (leaky readout) or"
                                + " spike_count_ce (spike_count readout), got readout_mse");
        assertThatThrownBy(
                        () -> JobConfig.parse(task(cues).replace("readout_ce", "spike_count_ce")))
                .hasMessage(
                        "loss.name 'spike_count_ce' needs a spike_count readout"
                                + " (network.readout.type)");
        String spiking =
                task(cues).replace("\"size\": 2}", "\"type\": \"spike_count\", \"size\": 2}");
        assertThatThrownBy(() -> JobConfig.parse(spiking))
                .hasMessage("loss.name 'readout_ce' needs a leaky readout (network.readout.type)");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        spiking.replace(
                                                "{\"name\": \"readout_ce\"}",
                                                "{\"name\": \"spike_count_ce\", \"window\": [0, 9]}")))
                .hasMessage(
                        "loss.window: a classification task counts each trial's own window; remove"
                                + " loss.window");
    }

    @Test
    void shouldAcceptASpikeCountReadoutTrainedWithSpikeCountCrossEntropy() {
        JobConfig c =
                JobConfig.parse(
                        task(", \"cueClasses\": {\"a\": 0, \"b\": 1}")
                                .replace("\"size\": 2}", "\"type\": \"spike_count\", \"size\": 2}")
                                .replace(
                                        "{\"name\": \"readout_ce\"}",
                                        "{\"name\": \"spike_count_ce\"}"));
        assertThat(c.spec().readout().type())
                .isEqualTo(org.spikeloop.snn.spec.ReadoutType.SPIKE_COUNT);
        assertThat(c.objective().get(0).name()).isEqualTo("spike_count_ce");
    }

    @Test
    void shouldParseTheFrontEndStagesAndRefuseItsSource() {
        String fe =
                ", \"frontEnd\": {\"stages\": [{\"bandPower\": {\"bands\": [{\"lowHz\": 8,"
                        + " \"highHz\": 12}], \"windowS\": 0.5, \"outputRateHz\": 32, \"log\":"
                        + " true}}, {\"normalise\": {\"timeConstantS\": 30}}]}";
        JobConfig c =
                JobConfig.parse("{" + NET + ", \"loss\": {\"name\": \"readout_mse\"}" + fe + "}");
        assertThat(c.frontEnd()).hasSize(2);
        assertThat(c.frontEnd().get(0).kind()).isEqualTo("band-power");
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        "{"
                                                + NET
                                                + ", \"loss\": {\"name\": \"readout_mse\"},"
                                                + " \"frontEnd\": {\"inputRateHz\": 256,"
                                                + " \"stages\": []}}"))
                .hasMessageStartingWith("frontEnd.inputRateHz is not a known field");
    }
}
