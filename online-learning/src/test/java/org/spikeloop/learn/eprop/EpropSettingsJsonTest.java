package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class EpropSettingsJsonTest {
    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    @Test
    void shouldParseTheNestCrossCheckSettings() {
        EpropConfig c =
                EpropSettingsJson.parse(
                        json(
                                "{\"loss\": \"mse\", \"feedback\": \"given\", \"optimizer\": \"sgd\","
                                        + " \"lrInput\": 1e-4, \"lrBias\": 0, \"updateIntervalSteps\": 0,"
                                        + " \"rateRegularization\": 300, \"targetRateHz\": 10,"
                                        + " \"nestCompatibility\": \"bsshslm_2020\"}"));
        assertThat(c.feedback()).isEqualTo(FeedbackMode.GIVEN);
        assertThat(c.optimizer()).isEqualTo(OptimizerKind.SGD);
        assertThat(c.lrInput()).isEqualTo(1e-4);
        assertThat(c.lrBias()).isZero();
        assertThat(c.rateRegularization()).isEqualTo(300.0);
        assertThat(c.nestCompatibility()).isEqualTo(NestCompatibility.BSSHSLM_2020);
    }

    @Test
    void shouldUseTheBuilderDefaultsWhenAbsent() {
        assertThat(EpropSettingsJson.parse(null)).isEqualTo(EpropConfig.builder().build());
    }

    @Test
    void shouldRejectAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> EpropSettingsJson.parse(json("{\"lr\": 1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eprop.lr is not a known field");
    }

    @Test
    void shouldRejectAnUnknownEnumValueListingTheChoices() {
        assertThatThrownBy(() -> EpropSettingsJson.parse(json("{\"feedback\": \"mirror\"}")))
                .hasMessageContaining("eprop.feedback")
                .hasMessageContaining("symmetric, random, given");
    }

    @Test
    void shouldRejectAWrongType() {
        assertThatThrownBy(() -> EpropSettingsJson.parse(json("{\"windowSteps\": \"16\"}")))
                .hasMessageContaining("eprop.windowSteps must be a number");
        assertThatThrownBy(() -> EpropSettingsJson.parse(json("{\"windowSteps\": 1.5}")))
                .hasMessageContaining("eprop.windowSteps must be an integer");
    }

    @Test
    void shouldRejectNestCompatibilityWithAStepwiseUpdateInterval() {
        assertThatThrownBy(
                        () ->
                                EpropSettingsJson.parse(
                                        json(
                                                "{\"nestCompatibility\": \"bsshslm_2020\","
                                                        + " \"updateIntervalSteps\": 10}")))
                .hasMessageContaining("updateIntervalSteps must be 0");
    }
}
