package org.spikeloop.learn.trials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.trials.TrialSegmenter.Outcome;

class TrialSegmenterTest {
    /** 769 → left, 770 → right, 4-s windows 0.5 s after the cue, 800 ends, 768/32766 ignored. */
    private static final TrialProtocol GRAZ = TrialProtocolTest.graz();

    private static final TrialProtocol NO_OFFSET =
            new TrialProtocol(
                    Map.of("left", 0, "right", 1),
                    List.of("left", "right"),
                    2.0,
                    0.0,
                    List.of("rest"),
                    List.of());

    @Test
    void shouldCutAGrazRecordingIntoWindowsAfterEachCue() {
        List<Trial> trials =
                TrialSegmenter.segment(
                        GRAZ,
                        new double[] {0, 10, 12, 20, 22, 30, 32},
                        new String[] {"32766", "768", "769", "768", "770", "768", "769.0"});
        assertThat(trials).hasSize(3);
        assertThat(trials.get(0)).isEqualTo(new Trial(0, 0, "769", 12.5, 16.5));
        assertThat(trials.get(1)).isEqualTo(new Trial(1, 1, "770", 22.5, 26.5));
        assertThat(trials.get(2)).isEqualTo(new Trial(2, 0, "769.0", 32.5, 36.5));
    }

    @Test
    void shouldEndAWindowAtAnEndCueAndIgnoreEndCuesOutsideWindows() {
        List<Trial> trials =
                TrialSegmenter.segment(
                        GRAZ,
                        new double[] {1, 2, 4, 10, 20, 30},
                        new String[] {"769", "800", "800", "770", "800", "769"});
        assertThat(trials)
                .containsExactly(
                        new Trial(0, 0, "769", 1.5, 2.0),
                        new Trial(1, 1, "770", 10.5, 14.5),
                        new Trial(2, 0, "769", 30.5, 34.5));
    }

    @Test
    void shouldTakeNumericMarkersAsTheirText() {
        double[] codes = {768, 769, 768, 770};
        String[] text = new String[codes.length];
        for (int i = 0; i < codes.length; i++) {
            text[i] = MarkerText.of(codes[i]);
        }
        List<Trial> trials = TrialSegmenter.segment(GRAZ, new double[] {0, 1, 10, 11}, text);
        assertThat(trials).extracting(Trial::classIndex).containsExactly(0, 1);
        assertThat(trials).extracting(Trial::cue).containsExactly("769", "770");
    }

    @Test
    void shouldListUnknownMarkersWithTheirCounts() {
        assertThatThrownBy(
                        () ->
                                TrialSegmenter.segment(
                                        GRAZ,
                                        new double[] {0, 1, 2, 10, 11, 12},
                                        new String[] {"769", "783", "1023", "770", "783", "783"}))
                .isInstanceOf(InvalidTrialsException.class)
                .hasMessage(
                        "unknown markers (in none of cue_classes, end_cues, ignored_markers):"
                                + " '783' ×3, '1023' ×1");
    }

    @Test
    void shouldRefuseOverlappingWindows() {
        assertThatThrownBy(
                        () ->
                                TrialSegmenter.segment(
                                        NO_OFFSET,
                                        new double[] {0, 1.5, 5, 8},
                                        new String[] {"left", "right", "left", "right"}))
                .isInstanceOf(InvalidTrialsException.class)
                .hasMessage(
                        "overlapping trial windows: trial 1 ('right' at 1.500 s) opens at 1.500"
                                + " s, before trial 0 ends at 2.000 s");
    }

    @Test
    void shouldRefuseAnEndCueBeforeTheWindowOpens() {
        assertThatThrownBy(
                        () ->
                                TrialSegmenter.segment(
                                        GRAZ,
                                        new double[] {0, 0.2, 10, 20},
                                        new String[] {"769", "800", "770", "769"}))
                .hasMessage(
                        "trials ended before they start: end cue '800' at 0.200 s comes before"
                                + " trial 0's window opens at 0.500 s");
    }

    @Test
    void shouldRefuseAClassWithoutTrials() {
        assertThatThrownBy(
                        () ->
                                TrialSegmenter.segment(
                                        GRAZ,
                                        new double[] {0, 10},
                                        new String[] {"769", "left_hand"}))
                .hasMessage("class 1 ('right') has no trials (its cues: [770])");
        assertThatThrownBy(
                        () -> TrialSegmenter.segment(GRAZ, new double[] {0}, new String[] {"768"}))
                .hasMessageStartingWith("no trials: no marker is a cue of cue_classes");
    }

    @Test
    void shouldRefuseStampsOutOfOrderAndListEveryProblemOnOneLine() {
        InvalidTrialsException e =
                (InvalidTrialsException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        TrialSegmenter.segment(
                                                GRAZ,
                                                new double[] {0, 10, 5, Double.NaN, 20},
                                                new String[] {"769", "770", "999", "769", "42"}));
        assertThat(e.problems())
                .containsExactly(
                        "unknown markers (in none of cue_classes, end_cues, ignored_markers):"
                                + " '42' ×1",
                        "markers out of time order: marker 2 ('999') at 5.0 s is out of time"
                                + " order (after 10.000 s); marker 3 ('769') at NaN s is out of"
                                + " time order (after 10.000 s)");
        assertThat(e.getMessage()).doesNotContain("\n").contains("; markers out of time order");
    }

    @Test
    void shouldReportEachMarkersOutcomeWhenStreaming() {
        TrialSegmenter s = new TrialSegmenter(GRAZ);
        assertThat(s.accept(0, "32766")).isEqualTo(Outcome.IGNORED);
        assertThat(s.accept(1, "800")).isEqualTo(Outcome.NOTHING_OPEN);
        assertThat(s.accept(2, "769")).isEqualTo(Outcome.OPENED);
        assertThat(s.current()).isEqualTo(new Trial(0, 0, "769", 2.5, 6.5));
        assertThat(s.lastClosed()).isNull();
        assertThat(s.closeDue(6.4)).isNull();
        assertThat(s.closeDue(6.5)).isEqualTo(new Trial(0, 0, "769", 2.5, 6.5));
        assertThat(s.current()).isNull();
        assertThat(s.accept(7, "783")).isEqualTo(Outcome.UNKNOWN);
        assertThat(s.accept(6, "770")).isEqualTo(Outcome.OUT_OF_ORDER);
        assertThat(s.current()).isNull();
        assertThat(s.accept(8, "770")).isEqualTo(Outcome.OPENED);
        assertThat(s.accept(9, "800")).isEqualTo(Outcome.ENDED);
        assertThat(s.lastClosed()).isEqualTo(new Trial(1, 1, "770", 8.5, 9.0));
        assertThat(s.finish()).isNull();
    }

    @Test
    void shouldCloseARunOutWindowWhenTheNextMarkerArrives() {
        TrialSegmenter s = new TrialSegmenter(GRAZ);
        s.accept(0, "769");
        assertThat(s.accept(10, "770")).isEqualTo(Outcome.OPENED);
        assertThat(s.lastClosed()).isEqualTo(new Trial(0, 0, "769", 0.5, 4.5));
        assertThat(s.finish()).isEqualTo(new Trial(1, 1, "770", 10.5, 14.5));
    }

    @Test
    void shouldCutTheOpenWindowWhenALiveCueOverlapsIt() {
        TrialSegmenter s = new TrialSegmenter(NO_OFFSET);
        s.accept(0, "left");
        assertThat(s.accept(1.5, "right")).isEqualTo(Outcome.OVERLAP);
        assertThat(s.lastClosed()).isEqualTo(new Trial(0, 0, "left", 0, 1.5));
        assertThat(s.current()).isEqualTo(new Trial(1, 1, "right", 1.5, 3.5));
        // a cue at the very start of a pending window drops it (the window would be empty)
        TrialSegmenter late = new TrialSegmenter(GRAZ);
        late.accept(0, "769");
        assertThat(late.accept(0, "770")).isEqualTo(Outcome.OVERLAP);
        assertThat(late.lastClosed()).isNull();
        // with an offset a new cue may come while the open window still runs but opens after it
        TrialProtocol longOffset =
                new TrialProtocol(Map.of("a", 0), List.of("a"), 1.0, 3.0, List.of(), List.of());
        TrialSegmenter off = new TrialSegmenter(longOffset);
        off.accept(0, "a"); // window [3, 4)
        assertThat(off.accept(3.5, "a")).isEqualTo(Outcome.OPENED); // window [6.5, 7.5)
        assertThat(off.lastClosed()).isEqualTo(new Trial(0, 0, "a", 3, 4));
        assertThat(off.current().startS()).isCloseTo(6.5, within(1e-12));
    }

    @Test
    void shouldVoidAPendingTrialEndedBeforeItsStart() {
        TrialSegmenter s = new TrialSegmenter(GRAZ);
        s.accept(0, "769");
        assertThat(s.accept(0.5, "800")).isEqualTo(Outcome.VOIDED);
        assertThat(s.lastClosed()).isNull();
        assertThat(s.current()).isNull();
        assertThat(s.accept(1, "770")).isEqualTo(Outcome.OPENED);
        assertThat(s.current().index()).isEqualTo(1); // the voided trial's index stays unused
    }
}
