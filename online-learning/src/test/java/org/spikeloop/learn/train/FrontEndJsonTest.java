package org.spikeloop.learn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.signal.Band;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.StageSpec;

class FrontEndJsonTest {
    private static final FrontEndSpec EVERY_STAGE =
            new FrontEndSpec(
                    4,
                    1000,
                    List.of(
                            new StageSpec.BandPass(new Band(1, 200), 2),
                            new StageSpec.Binning(0.004),
                            new StageSpec.Power(
                                    List.of(Band.MU, new Band(13, 30)), 4, 0.5, 50, true),
                            new StageSpec.Normalise(30, 1e-6)));

    @Test
    void shouldReadBackWhatItWrites() {
        FrontEndSpec back = FrontEndJson.read(FrontEndJson.write(EVERY_STAGE));
        assertThat(back.inputChannels()).isEqualTo(4);
        assertThat(back.inputRateHz()).isEqualTo(1000);
        assertThat(FrontEndJson.difference(back.stages(), EVERY_STAGE.stages())).isNull();
        assertThat(back.stages().get(2)).isEqualTo(EVERY_STAGE.stages().get(2)); // exact
        assertThat(back.outputChannels()).isEqualTo(EVERY_STAGE.outputChannels());
    }

    @Test
    void shouldNameTheFirstDifferingSetting() {
        List<StageSpec> other =
                List.of(
                        new StageSpec.BandPass(new Band(1, 200), 2),
                        new StageSpec.Binning(0.004),
                        new StageSpec.Power(List.of(Band.MU, new Band(13, 28)), 4, 0.5, 50, true),
                        new StageSpec.Normalise(30, 1e-6));
        assertThat(FrontEndJson.difference(EVERY_STAGE.stages(), other))
                .isEqualTo("stage 2 (band-power): bands[1].highHz 30.0 vs 28.0");
        assertThat(FrontEndJson.difference(EVERY_STAGE.stages(), other.subList(0, 2)))
                .isEqualTo("4 stages vs 2");
        assertThat(
                        FrontEndJson.difference(
                                List.of(new StageSpec.Normalise(30, 1e-6)),
                                List.of(new StageSpec.Binning(0.004))))
                .isEqualTo("stage 0 is normalise vs binning");
        // a binning step written in ms may come back an ulp off: still the same
        assertThat(
                        FrontEndJson.difference(
                                List.of(new StageSpec.Binning(0.1 * 0.3)),
                                List.of(new StageSpec.Binning(0.03))))
                .isNull();
    }

    @Test
    void shouldDefaultOrderAndVarianceFloorAsTheApiDoes() {
        List<StageSpec> s =
                FrontEndJson.parseStages(
                        JsonParser.parseString(
                                        "{\"stages\": [{\"bandPass\": {\"band\": {\"lowHz\": 8,"
                                                + " \"highHz\": 30}}}, {\"normalise\":"
                                                + " {\"timeConstantS\": 10}}]}")
                                .getAsJsonObject(),
                        "frontEnd");
        assertThat(s)
                .containsExactly(
                        new StageSpec.BandPass(new Band(8, 30), 4),
                        new StageSpec.Normalise(10, 1e-6));
    }

    @Test
    void shouldNameTheFieldOfEachError() {
        assertThatThrownBy(() -> stages("[{\"bandpower\": {}}]"))
                .hasMessageStartingWith("frontEnd.stages[0].bandpower is not a stage");
        assertThatThrownBy(() -> stages("[{\"normalise\": {\"tau\": 1}}]"))
                .hasMessageStartingWith("frontEnd.stages[0].normalise.tau is not a known field");
        assertThatThrownBy(() -> stages("[{\"normalise\": {\"timeConstantS\": -1}}]"))
                .hasMessageStartingWith("frontEnd.stages[0].normalise: normalise timeConstantS");
        assertThatThrownBy(
                        () ->
                                stages(
                                        "[{\"bandPower\": {\"bands\": [{\"lowHz\": 12, \"highHz\":"
                                                + " 8}], \"windowS\": 1, \"outputRateHz\": 10}}]"))
                .hasMessageStartingWith("frontEnd.stages[0].bandPower.bands[0]: band highHz");
        assertThatThrownBy(() -> stages("[{\"spikeBinning\": {}}]"))
                .hasMessage("frontEnd.stages[0].spikeBinning.dtMs is missing");
        assertThatThrownBy(() -> FrontEndJson.read("3 ch @ 250 Hz"))
                .hasMessageStartingWith("front-end is not valid JSON");
        assertThatThrownBy(() -> FrontEndJson.read("[3]"))
                .hasMessage("front-end must be a JSON object");
        assertThatThrownBy(
                        () ->
                                FrontEndJson.read(
                                        "{\"inputChannels\": 2, \"inputRateHz\": 100, \"stages\":"
                                                + " [{\"bandPass\": {\"band\": {\"lowHz\": 8,"
                                                + " \"highHz\": 60}}}]}"))
                .hasMessageContaining("Nyquist");
    }

    private static List<StageSpec> stages(String array) {
        return FrontEndJson.parseStages(
                JsonParser.parseString("{\"stages\": " + array + "}").getAsJsonObject(),
                "frontEnd");
    }
}
