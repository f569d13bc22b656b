package org.spikeloop.adapters.eegfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EegRecordingTest {
    @TempDir Path tmp;

    @Test
    void shouldReadHeaderFieldsAndSignalWindows() throws Exception {
        Path dir =
                EegFiles.helperOutput(
                        tmp.resolve("h"),
                        256.0,
                        10,
                        EegFiles.TWO_CHANNELS,
                        2,
                        "[{\"onset_s\":0.25,\"text\":\"769\"}]");
        try (EegRecording rec = EegRecording.open(dir)) {
            assertThat(rec.fileName()).isEqualTo("rec.gdf");
            assertThat(rec.format()).isEqualTo("GDF 1.25");
            assertThat(rec.rateHz()).isEqualTo(256.0);
            assertThat(rec.samples()).isEqualTo(10);
            assertThat(rec.channels())
                    .containsExactly(
                            new EegChannel("C3", "EEG", EegChannel.MICROVOLTS),
                            new EegChannel("EOG & 1", "EOG", EegChannel.MICROVOLTS));
            assertThat(rec.markers()).containsExactly(new EegMarker(0.25, "769"));
            float[] out = new float[6];
            rec.readSignal(7, 3, out);
            assertThat(out)
                    .containsExactly(
                            EegFiles.value(7, 0), EegFiles.value(7, 1),
                            EegFiles.value(8, 0), EegFiles.value(8, 1),
                            EegFiles.value(9, 0), EegFiles.value(9, 1));
            assertThatThrownBy(() -> rec.readSignal(8, 3, out))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldRefuseASignalFileOfTheWrongSize() throws Exception {
        Path dir =
                EegFiles.helperOutput(tmp.resolve("h"), 256.0, 10, EegFiles.TWO_CHANNELS, 2, "[]");
        Files.write(dir.resolve(EegRecording.SIGNAL), new byte[79]);
        assertThatThrownBy(() -> EegRecording.open(dir))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("holds 79 bytes, expected 80");
    }

    @Test
    void shouldRefuseANonPositiveRateAndAMissingChannelList() throws Exception {
        Path dir = EegFiles.helperOutput(tmp.resolve("a"), 0.0, 1, EegFiles.TWO_CHANNELS, 2, "[]");
        assertThatThrownBy(() -> EegRecording.open(dir))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("sampling rate must be finite and > 0, got 0.0");
        Path none = EegFiles.helperOutput(tmp.resolve("b"), 10.0, 1, "[]", 0, "[]");
        assertThatThrownBy(() -> EegRecording.open(none))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("no signal channels");
    }

    @Test
    void shouldRefuseMalformedJson() throws Exception {
        Path dir = EegFiles.helperOutput(tmp.resolve("c"), 10.0, 1, EegFiles.TWO_CHANNELS, 2, "[]");
        Files.writeString(dir.resolve(EegRecording.HEADER), "{\"file\": [");
        assertThatThrownBy(() -> EegRecording.open(dir))
                .isInstanceOf(EegFileException.class)
                .hasMessageContaining("not valid JSON");
    }
}
