package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySelectionTest {
    private static final List<String> NAMES = List.of("eeg", "markers", "outputs");
    private static final List<String> IDS = List.of("amp-1", "", "s1");

    @Test
    void shouldReplayEveryStreamUnderItsOwnNameByDefault() {
        List<ReplaySelection.Published> p =
                new ReplaySelection(List.of(), List.of(), "").select(NAMES, IDS);

        assertThat(p)
                .containsExactly(
                        new ReplaySelection.Published("eeg", "amp-1"),
                        new ReplaySelection.Published("markers", ""),
                        new ReplaySelection.Published("outputs", "s1"));
    }

    @Test
    void shouldKeepOnlyTheNamedStreams() {
        List<ReplaySelection.Published> p =
                new ReplaySelection(List.of("markers"), List.of(), "").select(NAMES, IDS);

        assertThat(p).containsExactly(null, new ReplaySelection.Published("markers", ""), null);
    }

    @Test
    void shouldRenameThenPrefixAndGiveRenamedStreamsTheirOwnSourceId() {
        List<ReplaySelection.Published> p =
                new ReplaySelection(List.of(), List.of("eeg=EEG"), "r-").select(NAMES, IDS);

        assertThat(p)
                .containsExactly(
                        new ReplaySelection.Published("r-EEG", "r-EEG/amp-1"),
                        new ReplaySelection.Published("r-markers", ""),
                        new ReplaySelection.Published("r-outputs", "r-outputs/s1"));
    }

    @Test
    void shouldRefuseNamesThatAreNotInTheFile() {
        assertThatThrownBy(
                        () -> new ReplaySelection(List.of("emg"), List.of(), "").select(NAMES, IDS))
                .hasMessage(
                        "--only: no stream named 'emg' in the file (it has [eeg, markers, outputs])");
        assertThatThrownBy(
                        () ->
                                new ReplaySelection(List.of(), List.of("emg=x"), "")
                                        .select(NAMES, IDS))
                .hasMessageStartingWith("--rename: no stream named 'emg'");
    }

    @Test
    void shouldRefuseMalformedOrDuplicateRenames() {
        for (String bad : Arrays.asList("eeg", "=x", "eeg=")) {
            assertThatThrownBy(() -> new ReplaySelection(List.of(), List.of(bad), ""))
                    .hasMessageStartingWith("--rename: expected OLD=NEW");
        }
        assertThatThrownBy(() -> new ReplaySelection(List.of(), List.of("eeg=a", "eeg=b"), ""))
                .hasMessage("--rename: stream 'eeg' renamed twice");
    }

    @Test
    void shouldRefuseARenameOntoAnotherStreamsName() {
        assertThatThrownBy(
                        () ->
                                new ReplaySelection(List.of(), List.of("eeg=markers"), "")
                                        .select(NAMES, IDS))
                .hasMessage(
                        "two replayed streams would both be named 'markers': use --rename or --only");
    }

    @Test
    void shouldReplayAFilesOwnDuplicateNamesAsTheyAre() {
        List<ReplaySelection.Published> p =
                new ReplaySelection(List.of(), List.of(), "")
                        .select(List.of("a", "a"), List.of("1", "2"));

        assertThat(p)
                .containsExactly(
                        new ReplaySelection.Published("a", "1"),
                        new ReplaySelection.Published("a", "2"));
    }
}
