package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {
    @Test
    void shouldWriteTheDecisionAsOneLineOfJsonNamingTheClasses() {
        Decision d = new Decision(2);
        d.trial = 12;
        d.decision = 0;
        d.probabilities[0] = 0.8123f;
        d.probabilities[1] = 0.1877f;
        d.cue = "769";
        d.cueClass = 0;
        d.startS = 100.5;
        d.endS = 104.0;
        d.frames = 175;
        d.learned = true;
        assertThat(d.toJson(List.of("left", "right")))
                .isEqualTo(
                        "{\"trial\":12,\"decision\":\"left\",\"probabilities\":{\"left\":0.8123,"
                                + "\"right\":0.1877},\"cue\":\"769\",\"cue_class\":\"left\","
                                + "\"start\":100.500000,\"end\":104.000000,\"frames\":175,"
                                + "\"learned\":true}");
    }

    @Test
    void shouldEscapeNamesAndWriteNullForAWindowWithoutDecision() {
        Decision d = new Decision(2);
        d.decision = Decision.NONE;
        d.probabilities[0] = Float.NaN;
        d.probabilities[1] = Float.NaN;
        d.cue = "a\"b\\c\n";
        d.cueClass = 1;
        String json = d.toJson(List.of("x", "y\"z"));
        assertThat(json).contains("\"decision\":null");
        assertThat(json).contains("\"probabilities\":{\"x\":null,\"y\\\"z\":null}");
        assertThat(json).contains("\"cue\":\"a\\\"b\\\\c\\u000a\"");
        assertThat(json).contains("\"cue_class\":\"y\\\"z\"");
    }
}
