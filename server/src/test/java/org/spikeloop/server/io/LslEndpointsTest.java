package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.server.ServerException;

/** The checks of a session's LSL label spec and label stream, and the outlet's stream. */
class LslEndpointsTest {
    private static LslLabelConfig markers(
            Map<String, Integer> cues, double trialS, List<String> end) {
        return new LslLabelConfig("cues", "", LslLabelConfig.Kind.MARKERS, 0, cues, trialS, end);
    }

    private static LslLabelConfig continuous(double rateHz) {
        return new LslLabelConfig(
                "kin", "", LslLabelConfig.Kind.CONTINUOUS, rateHz, Map.of(), 0, List.of());
    }

    private static StreamInfo stream(int channels, double rateHz, ChannelFormat format) {
        return StreamInfo.builder("s", "t", channels, format).nominalSrateHz(rateHz).build();
    }

    private static void assertInvalid(Runnable r, String message) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }

    @Test
    void shouldAcceptValidSpecs() {
        assertThatCode(() -> LslEndpoints.checkLabelSpec(continuous(0), 2))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                LslEndpoints.checkLabelSpec(
                                        markers(Map.of("l", 0, "r", 1), 1, List.of("rest")), 2))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRequireANameAndAKind() {
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                new LslLabelConfig(
                                        "", "", LslLabelConfig.Kind.CONTINUOUS, 0, null, 0, null),
                                2),
                "spec.lsl_labels.name");
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                new LslLabelConfig(
                                        "x", "", LslLabelConfig.Kind.UNSPECIFIED, 0, null, 0, null),
                                2),
                "spec.lsl_labels.kind");
    }

    @Test
    void shouldAttachOnlyToTheStreamOfExactlyTheGivenNameEvenWithQuotesInIt() {
        String victim = LslPeers.unique("victim");
        try (Outlet outlet = LslPeers.outlet(victim, ChannelFormat.FLOAT32, 2, 100)) {
            // Pasted into liblsl's name='...' query this name would match the victim's stream.
            String injected = "x' or name='" + victim;
            assertThatThrownBy(() -> LslEndpoints.openSampleInlet(injected, 2, 100, 0.5))
                    .isInstanceOfSatisfying(
                            ServerException.class,
                            e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.NOT_FOUND))
                    .hasMessageContaining("spec.source.lsl_stream_name");
            LslLabelConfig labels =
                    new LslLabelConfig(
                            "x' or '1'='1",
                            "",
                            LslLabelConfig.Kind.CONTINUOUS,
                            0,
                            Map.of(),
                            0,
                            List.of());
            LslEndpoints.checkLabelSpec(labels, 2); // a name, however odd, is just a name
            assertThatThrownBy(() -> LslEndpoints.openLabelInlet(labels, 2, 0.5))
                    .isInstanceOfSatisfying(
                            ServerException.class,
                            e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.NOT_FOUND));
            org.spikeloop.adapters.lsl.Inlet inlet =
                    LslEndpoints.openSampleInlet(victim, 2, 100, 5.0);
            assertThat(inlet.info().name()).isEqualTo(victim);
            inlet.close();
        }
    }

    @Test
    void shouldFindItsStreamWhileAStreamWithAnUnreadableHeaderIsOnTheNetwork() {
        String wanted = LslPeers.unique("wanted");
        String odd = LslPeers.unique("no-channels");
        try (Outlet outlet = LslPeers.outlet(wanted, ChannelFormat.FLOAT32, 2, 100);
                LslPeers.RawOutlet noChannels = new LslPeers.RawOutlet(odd, 0, 3)) {
            org.spikeloop.adapters.lsl.Inlet inlet =
                    LslEndpoints.openSampleInlet(wanted, 2, 100, 5.0);
            assertThat(inlet.info().name()).isEqualTo(wanted);
            inlet.close();
            // A stream that is not there: NOT_FOUND, saying which streams could not be read (the
            // one asked for may be among them).
            assertThatThrownBy(() -> LslEndpoints.openSampleInlet(odd, 2, 100, 1.0))
                    .isInstanceOfSatisfying(
                            ServerException.class,
                            e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.NOT_FOUND))
                    .hasMessageContaining("spec.source.lsl_stream_name")
                    .hasMessageContaining("cannot read and were skipped")
                    .hasMessageContaining(odd)
                    .hasMessageContaining("channel_count: must be >= 1, got 0");
        }
    }

    @Test
    void shouldRefuseABadCueTable() {
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(markers(Map.of(), 1, List.of()), 2),
                "spec.lsl_labels.cue_classes: give at least one cue");
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(markers(Map.of("up", 2), 1, List.of()), 2),
                "spec.lsl_labels.cue_classes: 'up' → class index 2 but only 2 class names");
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(markers(Map.of("", 0), 1, List.of()), 2),
                "spec.lsl_labels.cue_classes: a marker text is empty");
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(markers(Map.of("l", 0), 1, List.of()), 2),
                "spec.lsl_labels.cue_classes: class 1 ('1') has no cue");
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                markers(Map.of("l", 0, "r", 1), 1, List.of("l")), 2),
                "spec.lsl_labels.end_cues: 'l' is also a cue in cue_classes");
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(markers(Map.of("l", 0), 0, List.of()), 1),
                "spec.lsl_labels.trial_s");
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                markers(Map.of("l", 0), Double.POSITIVE_INFINITY, List.of()), 1),
                "spec.lsl_labels.trial_s");
    }

    private static LslLabelConfig protocolSpec(
            Map<String, Integer> cues, List<String> names, double offsetS, List<String> ignored) {
        return new LslLabelConfig(
                "cues",
                "",
                LslLabelConfig.Kind.MARKERS,
                0,
                cues,
                4,
                List.of("800"),
                names,
                offsetS,
                ignored);
    }

    @Test
    void shouldBuildTheTrialProtocolWithNumericCodesClassNamesAndAStartOffset() {
        var p =
                LslEndpoints.markerProtocol(
                        protocolSpec(
                                Map.of("769", 0, "left_hand", 0, "770", 1),
                                List.of("left", "right"),
                                0.5,
                                List.of("768", "32766")),
                        2);
        assertThat(p.classNames()).containsExactly("left", "right");
        assertThat(p.classOf("769.0")).isZero();
        assertThat(p.classOf("left_hand")).isZero();
        assertThat(p.classOf("770")).isEqualTo(1);
        assertThat(p.startOffsetS()).isEqualTo(0.5);
        assertThat(p.trialS()).isEqualTo(4);
        assertThat(p.kindOf("32766")).isEqualTo(TrialProtocol.MarkerKind.IGNORED);
        assertThat(p.kindOf("800")).isEqualTo(TrialProtocol.MarkerKind.END);
    }

    @Test
    void shouldNameEachClassByItsCuesWhenNoNamesAreGiven() {
        var p =
                LslEndpoints.markerProtocol(
                        protocolSpec(
                                Map.of("769", 0, "left_hand", 0, "right", 1),
                                List.of(),
                                0,
                                List.of()),
                        2);
        assertThat(p.classNames()).containsExactly("769/left_hand", "right");
    }

    @Test
    void shouldRefuseBadClassNamesOffsetsAndIgnoredMarkers() {
        Map<String, Integer> cues = Map.of("l", 0, "r", 1);
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                protocolSpec(cues, List.of("a", "b", "c"), 0, List.of()), 2),
                "spec.lsl_labels.class_names: 3 class names but the decoder has 2 outputs");
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                protocolSpec(cues, List.of("a", "a"), 0, List.of()), 2),
                "spec.lsl_labels.class_names: 'a' names two classes");
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(protocolSpec(cues, List.of(), -1, List.of()), 2),
                "spec.lsl_labels.start_offset_s");
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                protocolSpec(cues, List.of(), 0, List.of("r")), 2),
                "spec.lsl_labels.ignored_markers: 'r' is also a cue");
    }

    @Test
    void shouldRefuseMarkerFieldsOnContinuousLabelsAndABadRate() {
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                new LslLabelConfig(
                                        "k",
                                        "",
                                        LslLabelConfig.Kind.CONTINUOUS,
                                        0,
                                        Map.of("l", 0),
                                        0,
                                        List.of()),
                                2),
                "are for LABEL_KIND_MARKERS");
        assertInvalid(
                () ->
                        LslEndpoints.checkLabelSpec(
                                new LslLabelConfig(
                                        "k",
                                        "",
                                        LslLabelConfig.Kind.CONTINUOUS,
                                        0,
                                        Map.of(),
                                        0,
                                        List.of(),
                                        List.of(),
                                        0.5,
                                        List.of()),
                                2),
                "start_offset_s");
        assertInvalid(
                () -> LslEndpoints.checkLabelSpec(continuous(-1), 2),
                "spec.lsl_labels.sample_rate_hz");
    }

    @Test
    void shouldRefuseAContinuousStreamOfTheWrongShape() {
        assertInvalid(
                () ->
                        LslEndpoints.checkShape(
                                continuous(0), stream(3, 100, ChannelFormat.FLOAT32), 2),
                "channel_count is 3 but the decoder has 2 outputs");
        assertInvalid(
                () ->
                        LslEndpoints.checkShape(
                                continuous(100), stream(2, 50, ChannelFormat.FLOAT32), 2),
                "nominal_srate is 50.0 Hz but spec.lsl_labels.sample_rate_hz is 100.0");
        assertInvalid(
                () ->
                        LslEndpoints.checkShape(
                                continuous(0), stream(2, 0, ChannelFormat.FLOAT32), 2),
                "need a regular rate");
        assertInvalid(
                () ->
                        LslEndpoints.checkShape(
                                continuous(0), stream(2, 100, ChannelFormat.STRING), 2),
                "must be numeric");
        assertThatCode(
                        () ->
                                LslEndpoints.checkShape(
                                        continuous(0), stream(2, 100, ChannelFormat.DOUBLE64), 2))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldAcceptStringAndNumericMarkerStreams() {
        LslLabelConfig m = markers(Map.of("l", 0), 1, List.of());
        for (ChannelFormat f : ChannelFormat.values()) {
            assertThatCode(() -> LslEndpoints.checkShape(m, stream(1, 0, f), 2))
                    .as(f.toString())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void shouldRefuseAMarkerStreamOfTheWrongShape() {
        LslLabelConfig m = markers(Map.of("l", 0), 1, List.of());
        assertInvalid(
                () -> LslEndpoints.checkShape(m, stream(2, 0, ChannelFormat.FLOAT32), 2),
                "a marker stream has 1 channel");
        assertInvalid(
                () -> LslEndpoints.checkShape(m, stream(2, 0, ChannelFormat.STRING), 2),
                "a marker stream has 1 channel");
        assertInvalid(
                () -> LslEndpoints.checkShape(m, stream(1, 10, ChannelFormat.STRING), 2),
                "a marker stream is irregular");
    }

    @Test
    void shouldPublishTheOutletWithTheDecodersWidthRateAndDefaults() {
        Outlet outlet =
                LslEndpoints.openOutlet(
                        "s-1", new LslOutletConfig(LslPeers.unique("out"), "", ""), 3, 200);
        try {
            StreamInfo info = outlet.info();
            assertThat(info.channelCount()).isEqualTo(3);
            assertThat(info.nominalSrateHz()).isEqualTo(200);
            assertThat(info.format()).isEqualTo(ChannelFormat.FLOAT32);
            assertThat(info.type()).isEqualTo("Decoded");
            assertThat(info.sourceId()).isEqualTo("s-1.outlet");
        } finally {
            outlet.close();
        }
        assertInvalid(
                () -> LslEndpoints.openOutlet("s-1", new LslOutletConfig(" ", "", ""), 3, 200),
                "spec.lsl_outlet.name");
    }

    @Test
    void shouldPublishTheDecisionOutletAsAStringMarkerStreamWithDefaults() {
        Outlet outlet =
                LslEndpoints.openDecisionOutlet(
                        "s-1", new LslOutletConfig(LslPeers.unique("dec"), "", ""));
        try {
            StreamInfo info = outlet.info();
            assertThat(info.channelCount()).isEqualTo(1);
            assertThat(info.nominalSrateHz()).isZero();
            assertThat(info.format()).isEqualTo(ChannelFormat.STRING);
            assertThat(info.type()).isEqualTo("Markers");
            assertThat(info.sourceId()).isEqualTo("s-1.decisions");
        } finally {
            outlet.close();
        }
        assertInvalid(
                () -> LslEndpoints.openDecisionOutlet("s-1", new LslOutletConfig("", "", "")),
                "spec.lsl_decisions.name");
    }
}
