package org.spikeloop.adapters.eegfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;

class EegXdfExportTest {
    @TempDir Path tmp;

    private static final String MARKERS =
            "[{\"onset_s\":0.5,\"text\":\"769\"},{\"onset_s\":12.25,\"text\":\"770\"},"
                    + "{\"onset_s\":24.99,\"text\":\"left hand\"}]";

    /** 25 s at 100 Hz: three Samples chunks of 1024 and a short one, two Boundary chunks. */
    private EegRecording recording() throws Exception {
        return EegRecording.open(
                EegFiles.helperOutput(
                        tmp.resolve("helper"), 100.0, 2500, EegFiles.TWO_CHANNELS, 2, MARKERS));
    }

    @Test
    void shouldWriteSignalInMicrovoltsAndMarkersOnOneClock() throws Exception {
        Path out = tmp.resolve("rec.xdf");
        try (EegRecording rec = recording()) {
            var s = EegXdfExport.write(rec, "B0101T", out, false);
            assertThat(s)
                    .isEqualTo(new EegXdfExport.Summary("B0101T", "B0101T-markers", 2, 2500, 3));
        }
        XdfRecording xdf = XdfReader.read(out);
        assertThat(xdf.problems()).isEmpty();
        assertThat(xdf.boundaryChunks()).isEqualTo(2);
        XdfStream eeg = xdf.stream(EegXdfExport.SIGNAL_STREAM);
        assertThat(eeg.info().name()).isEqualTo("B0101T");
        assertThat(eeg.info().type()).isEqualTo("EEG");
        assertThat(eeg.info().format()).isEqualTo(ChannelFormat.FLOAT32);
        assertThat(eeg.info().nominalSrateHz()).isEqualTo(100.0);
        assertThat(eeg.info().channelLabels()).containsExactly("C3", "EOG & 1");
        assertThat(eeg.sampleCount()).isEqualTo(2500);
        double[] t = eeg.timestamps();
        float[] v = (float[]) eeg.samples().toArray();
        for (int i = 0; i < 2500; i++) {
            assertThat(t[i]).isEqualTo(i / 100.0);
            assertThat(v[2 * i]).isEqualTo(EegFiles.value(i, 0));
            assertThat(v[2 * i + 1]).isEqualTo(EegFiles.value(i, 1));
        }
        XdfStream markers = xdf.stream(EegXdfExport.MARKER_STREAM);
        assertThat(markers.info().name()).isEqualTo("B0101T-markers");
        assertThat(markers.info().type()).isEqualTo("Markers");
        assertThat(markers.info().format()).isEqualTo(ChannelFormat.STRING);
        assertThat(markers.info().nominalSrateHz()).isZero();
        assertThat(markers.timestamps()).containsExactly(0.5, 12.25, 24.99);
        assertThat(markers.samples().stringValue(0, 0)).isEqualTo("769");
        assertThat(markers.samples().stringValue(1, 0)).isEqualTo("770");
        assertThat(markers.samples().stringValue(2, 0)).isEqualTo("left hand");
        // pyxdf's clock sync sees offsets of 0: the file's clock is the reference.
        assertThat(eeg.clockValues()).containsOnly(0.0);
        assertThat(eeg.clockTimes()).containsExactly(0.0, 24.99);
        assertThat(markers.clockTimes()).containsExactly(0.0, 24.99);
    }

    @Test
    void shouldWriteLabRecorderHeadersWithUnitsAndProvenance() throws Exception {
        Path out = tmp.resolve("rec.xdf");
        try (EegRecording rec = recording()) {
            EegXdfExport.write(rec, "B0101T", out, false);
        }
        XdfRecording xdf = XdfReader.read(out);
        String eeg = xdf.stream(1).headerXml();
        assertThat(eeg)
                .contains("<channel_format>float32</channel_format>")
                .contains("<source_id>spikeloop-import:0123456789abcdef</source_id>")
                .contains("<nominal_srate>100</nominal_srate>")
                .contains("<created_at>0</created_at>")
                .contains("<hostname>host-a</hostname>")
                .contains("<session_id>default</session_id>")
                .containsPattern("<uid>[0-9a-f-]{36}</uid>")
                .contains("<label>EOG &amp; 1</label>")
                .contains("<unit>microvolts</unit>")
                .contains("<type>EOG</type>")
                .contains("<format>GDF 1.25</format>")
                .contains("<note>C3: corrected &lt;µV&gt;</note>");
        assertThat(eeg.split("<unit>microvolts</unit>", -1)).hasSize(3);
        assertThat(xdf.stream(2).headerXml())
                .contains("<source_id>spikeloop-import:0123456789abcdef:markers</source_id>")
                .contains("<channel_format>string</channel_format>");
        assertThat(xdf.stream(1).footerXml()).contains("<sample_count>2500</sample_count>");
        assertThat(xdf.stream(2).footerXml()).contains("<sample_count>3</sample_count>");
    }

    @Test
    void shouldLeaveAnExistingOutputAloneUnlessToldToReplaceIt() throws Exception {
        Path out = Files.writeString(tmp.resolve("rec.xdf"), "keep me");
        try (EegRecording rec = recording()) {
            assertThatThrownBy(() -> EegXdfExport.write(rec, "r", out, false))
                    .isInstanceOf(EegFileException.class)
                    .hasMessageContaining("exists");
            assertThat(Files.readString(out)).isEqualTo("keep me");
            EegXdfExport.write(rec, "r", out, true);
        }
        assertThat(XdfReader.read(out).stream(1).sampleCount()).isEqualTo(2500);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("rec.xdf");
        }
    }

    @Test
    void shouldKeepMarkersOfARecordingWithoutSamples() throws Exception {
        Path out = tmp.resolve("empty.xdf");
        try (EegRecording rec =
                EegRecording.open(
                        EegFiles.helperOutput(
                                tmp.resolve("h"), 250.0, 0, EegFiles.TWO_CHANNELS, 2, MARKERS))) {
            EegXdfExport.write(rec, "e", out, false);
        }
        XdfRecording xdf = XdfReader.read(out);
        assertThat(xdf.stream(1).sampleCount()).isZero();
        assertThat(xdf.stream(2).timestamps()).containsExactly(0.5, 12.25, 24.99);
    }
}
