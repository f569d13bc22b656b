package org.spikeloop.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.BandPowerStage;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.FrequencyBand;
import org.spikeloop.proto.v1.FrontEndSpec;
import org.spikeloop.proto.v1.FrontEndStage;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.LslOutletSpec;
import org.spikeloop.proto.v1.NormaliseStage;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SpikeBinningStage;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.io.LslLabelConfig;
import org.spikeloop.server.session.SessionConfig;

/** The session spec's outlet, label and front-end fields, proto to domain and back. */
class ProtoMappingTest {
    private static SessionSpec.Builder base() {
        return SessionSpec.newBuilder()
                .setChannelCount(4)
                .setSampleRateHz(250)
                .setDecoder(
                        DecoderSpec.newBuilder()
                                .setArchitecture(
                                        Architecture.newBuilder().setHidden(8).setOutputs(2)));
    }

    @Test
    void shouldRoundTripTheOutletLabelAndFrontEndSpecs() {
        SessionSpec spec =
                base().setLslOutlet(
                                LslOutletSpec.newBuilder()
                                        .setName("cursor")
                                        .setType("Cursor")
                                        .setSourceId("rig-1"))
                        .setLslLabels(
                                LslLabelSpec.newBuilder()
                                        .setName("cues")
                                        .setKind(LabelKind.LABEL_KIND_MARKERS)
                                        .putCueClasses("left", 0)
                                        .putCueClasses("769", 0)
                                        .putCueClasses("right", 1)
                                        .setTrialS(2)
                                        .addEndCues("rest")
                                        .addClassNames("L")
                                        .addClassNames("R")
                                        .setStartOffsetS(0.5)
                                        .addIgnoredMarkers("768"))
                        .setLslDecisions(
                                LslOutletSpec.newBuilder().setName("decisions").setType("Markers"))
                        .setFrontEnd(
                                FrontEndSpec.newBuilder()
                                        .addStages(
                                                FrontEndStage.newBuilder()
                                                        .setBandPower(
                                                                BandPowerStage.newBuilder()
                                                                        .addBands(
                                                                                FrequencyBand
                                                                                        .newBuilder()
                                                                                        .setLowHz(8)
                                                                                        .setHighHz(
                                                                                                12))
                                                                        .setWindowS(0.5)
                                                                        .setOutputRateHz(50)
                                                                        .setLog(true)))
                                        .addStages(
                                                FrontEndStage.newBuilder()
                                                        .setNormalise(
                                                                NormaliseStage.newBuilder()
                                                                        .setTimeConstantS(10))))
                        .build();
        SessionConfig c = ProtoMapping.toConfig(spec);
        assertThat(c.lslOutlet().name()).isEqualTo("cursor");
        assertThat(c.lslLabels().kind()).isEqualTo(LslLabelConfig.Kind.MARKERS);
        assertThat(c.lslLabels().cueClasses()).containsEntry("left", 0).containsEntry("right", 1);
        assertThat(c.lslLabels().classNames()).containsExactly("L", "R");
        assertThat(c.lslLabels().startOffsetS()).isEqualTo(0.5);
        assertThat(c.lslLabels().ignoredMarkers()).containsExactly("768");
        assertThat(c.lslDecisions().name()).isEqualTo("decisions");
        assertThat(c.frontEnd()).hasSize(2);
        SessionSpec back = ProtoMapping.toSpec(c);
        // Defaults the request left 0 come back filled in (order 4, variance floor 1e-6).
        SessionSpec expected =
                spec.toBuilder()
                        .setFrontEnd(
                                spec.getFrontEnd().toBuilder()
                                        .setStages(
                                                0,
                                                spec.getFrontEnd().getStages(0).toBuilder()
                                                        .setBandPower(
                                                                spec
                                                                        .getFrontEnd()
                                                                        .getStages(0)
                                                                        .getBandPower()
                                                                        .toBuilder()
                                                                        .setOrder(4)))
                                        .setStages(
                                                1,
                                                spec.getFrontEnd().getStages(1).toBuilder()
                                                        .setNormalise(
                                                                spec
                                                                        .getFrontEnd()
                                                                        .getStages(1)
                                                                        .getNormalise()
                                                                        .toBuilder()
                                                                        .setVarianceFloor(1e-6))))
                        .build();
        assertThat(back.getLslOutlet()).isEqualTo(expected.getLslOutlet());
        assertThat(back.getLslLabels()).isEqualTo(expected.getLslLabels());
        assertThat(back.getLslDecisions()).isEqualTo(expected.getLslDecisions());
        assertThat(back.getFrontEnd()).isEqualTo(expected.getFrontEnd());
    }

    @Test
    void shouldLeaveTheOptionalPartsOutWhenAbsent() {
        SessionConfig c = ProtoMapping.toConfig(base().build());
        assertThat(c.lslOutlet()).isNull();
        assertThat(c.lslLabels()).isNull();
        assertThat(c.frontEnd()).isEmpty();
        SessionSpec back = ProtoMapping.toSpec(c);
        assertThat(c.lslDecisions()).isNull();
        assertThat(
                        back.hasLslOutlet()
                                || back.hasLslLabels()
                                || back.hasFrontEnd()
                                || back.hasLslDecisions())
                .isFalse();
    }

    @Test
    void shouldNameTheStageOfABadFrontEnd() {
        SessionSpec spec =
                base().setFrontEnd(
                                FrontEndSpec.newBuilder()
                                        .addStages(
                                                FrontEndStage.newBuilder()
                                                        .setSpikeBinning(
                                                                SpikeBinningStage.newBuilder()
                                                                        .setDtMs(5)))
                                        .addStages(FrontEndStage.newBuilder()))
                        .build();
        assertThatThrownBy(() -> ProtoMapping.toConfig(spec))
                .isInstanceOf(ServerException.class)
                .hasMessageContaining("spec.front_end.stages[1]: give spike_binning");
        SessionSpec negative =
                base().setFrontEnd(
                                FrontEndSpec.newBuilder()
                                        .addStages(
                                                FrontEndStage.newBuilder()
                                                        .setSpikeBinning(
                                                                SpikeBinningStage.newBuilder()
                                                                        .setDtMs(-1))))
                        .build();
        assertThatThrownBy(() -> ProtoMapping.toConfig(negative))
                .isInstanceOf(ServerException.class)
                .hasMessageContaining("spec.front_end.stages[0]: binning dtS");
    }
}
