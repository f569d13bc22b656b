package org.spikeloop.learn.trials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrialProtocolTest {
    static TrialProtocol graz() {
        return new TrialProtocol(
                Map.of("769", 0, "770", 1, "left_hand", 0),
                List.of("left", "right"),
                4.0,
                0.5,
                List.of("800"),
                List.of("768", "32766"));
    }

    @Test
    void shouldMapCuesOfEitherKindToTheirClass() {
        TrialProtocol p = graz();
        assertThat(p.classOf("769")).isZero();
        assertThat(p.classOf(MarkerText.of(769.0f))).isZero();
        assertThat(p.classOf("769.0")).isZero();
        assertThat(p.classOf("left_hand")).isZero();
        assertThat(p.classOf("770")).isEqualTo(1);
        assertThat(p.classOf("771")).isEqualTo(-1);
        assertThat(p.kindOf("769")).isEqualTo(TrialProtocol.MarkerKind.CUE);
        assertThat(p.kindOf("800.0")).isEqualTo(TrialProtocol.MarkerKind.END);
        assertThat(p.kindOf("32766")).isEqualTo(TrialProtocol.MarkerKind.IGNORED);
        assertThat(p.kindOf("783")).isEqualTo(TrialProtocol.MarkerKind.UNKNOWN);
        assertThat(p.classNames()).containsExactly("left", "right");
        assertThat(p.cuesOf(0)).containsExactly("769", "left_hand");
        assertThat(p.classCount()).isEqualTo(2);
    }

    @Test
    void shouldNameTheFieldOfEachError() {
        assertRefused(
                Map.of("769", 3),
                List.of("left", "right"),
                4,
                0,
                "cue_classes: '769' → class index 3 but only 2 class names [left, right]");
        assertRefused(
                Map.of("769", 0),
                List.of("left", "right"),
                4,
                0,
                "cue_classes: class 1 ('right') has no cue");
        assertRefused(
                Map.of("769", 0, "769.0", 0),
                List.of("left"),
                4,
                0,
                "cue_classes: '769' and '769.0' are the same marker (769)");
        assertRefused(Map.of(), List.of("left"), 4, 0, "cue_classes: give at least one cue");
        assertRefused(Map.of("a", 0), List.of(), 4, 0, "class_names: give at least one class");
        assertRefused(
                Map.of("a", 0), List.of("x", "x"), 4, 0, "class_names: 'x' names two classes");
        assertRefused(Map.of("a", 0), List.of(" "), 4, 0, "class_names: class 0 has a blank name");
        assertRefused(Map.of("a", 0), List.of("x"), 0, 0, "trial_s: must be in (0, 600.0] s");
        assertRefused(
                Map.of("a", 0), List.of("x"), Double.NaN, 0, "trial_s: must be in (0, 600.0] s");
        assertRefused(Map.of("a", 0), List.of("x"), 601, 0, "trial_s: must be in (0, 600.0] s");
        assertRefused(
                Map.of("a", 0), List.of("x"), 4, -0.1, "start_offset_s: must be in [0, 600.0] s");
        Map<String, Integer> empty = new LinkedHashMap<>();
        empty.put("", 0);
        assertRefused(empty, List.of("x"), 4, 0, "cue_classes: a marker text is empty");
    }

    @Test
    void shouldRefuseMarkersInTwoTables() {
        assertThatThrownBy(
                        () ->
                                new TrialProtocol(
                                        Map.of("769", 0),
                                        List.of("x"),
                                        4,
                                        0,
                                        List.of("769.0"),
                                        List.of()))
                .isInstanceOf(InvalidTrialProtocolException.class)
                .hasMessage("end_cues: '769.0' is also a cue in cue_classes");
        assertThatThrownBy(
                        () ->
                                new TrialProtocol(
                                        Map.of("769", 0),
                                        List.of("x"),
                                        4,
                                        0,
                                        List.of("800"),
                                        List.of("800")))
                .hasMessage("ignored_markers: '800' is also an end cue in end_cues");
        assertThatThrownBy(
                        () ->
                                new TrialProtocol(
                                        Map.of("769", 0),
                                        List.of("x"),
                                        4,
                                        0,
                                        List.of(),
                                        List.of("1", "1.0")))
                .hasMessage("ignored_markers: '1.0' is listed twice");
    }

    @Test
    void shouldGiveTheFieldInBothSpellings() {
        InvalidTrialProtocolException e =
                (InvalidTrialProtocolException)
                        catchThrowable(
                                () ->
                                        new TrialProtocol(
                                                Map.of("a", 0), List.of("x"), 4, -1, null, null));
        assertThat(e.field()).isEqualTo("start_offset_s");
        assertThat(e.camelCaseField()).isEqualTo("startOffsetS");
        assertThat(e.problem()).isEqualTo("must be in [0, 600.0] s, got -1.0");
    }

    @Test
    void shouldBeEqualByContent() {
        assertThat(graz()).isEqualTo(graz()).hasSameHashCodeAs(graz());
        assertThat(graz().endCues()).isEqualTo(Set.of("800"));
        assertThat(graz().ignoredMarkers()).containsExactly("768", "32766");
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no exception");
    }

    private static void assertRefused(
            Map<String, Integer> cues,
            List<String> names,
            double trialS,
            double offsetS,
            String message) {
        assertThatThrownBy(() -> new TrialProtocol(cues, names, trialS, offsetS, null, null))
                .isInstanceOf(InvalidTrialProtocolException.class)
                .hasMessageStartingWith(message);
    }
}
