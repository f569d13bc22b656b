package org.spikeloop.adapters.xdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XdfReaderTest {
    @TempDir Path tmp;

    /** Byte offsets where each chunk of a well-formed file starts, plus the file length. */
    private static List<Long> chunkStarts(byte[] file) {
        List<Long> starts = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 4;
        while (pos < file.length) {
            starts.add((long) pos);
            int nb = b.get(pos);
            long len =
                    nb == 1
                            ? b.get(pos + 1) & 0xFF
                            : nb == 4 ? b.getInt(pos + 1) : b.getLong(pos + 1);
            pos += 1 + nb + (int) len;
        }
        starts.add((long) file.length);
        return starts;
    }

    @Test
    void shouldKeepEveryCompleteChunkWhenCutAtAnyByteOffset() throws IOException {
        Path full = tmp.resolve("full.xdf");
        XdfTestFiles.writeAllFormats(full);
        byte[] bytes = Files.readAllBytes(full);
        List<Long> starts = chunkStarts(bytes);
        XdfRecording whole = XdfReader.read(full);
        Path cut = tmp.resolve("cut.xdf");
        for (int len = 0; len <= bytes.length; len++) {
            Files.write(cut, Arrays.copyOf(bytes, len));
            XdfRecording rec = XdfReader.read(cut);
            // chunks entirely inside the first len bytes
            int complete = 0;
            while (complete + 1 < starts.size() && starts.get(complete + 1) <= len) {
                complete++;
            }
            long expectedCut =
                    len < 4 ? 0 : starts.contains((long) len) ? -1 : starts.get(complete);
            assertThat(rec.truncatedAtOffset()).as("cut at %d", len).isEqualTo(expectedCut);
            assertThat(rec.chunksRead()).as("chunks at %d", len).isEqualTo(complete);
            assertThat(rec.problems()).as("problems at %d", len).isEmpty();
            for (XdfStream s : rec.streams()) {
                XdfStream w = whole.stream(s.id());
                int n = s.sampleCount();
                assertThat(s.timestamps()).containsExactly(Arrays.copyOf(w.timestamps(), n));
                assertThat(n % 3).isZero(); // whole chunks only
                if (n > 0) {
                    assertThat(s.samples().value(n - 1, 1)).isEqualTo(w.samples().value(n - 1, 1));
                }
            }
        }
    }

    @Test
    void shouldSkipCorruptedSamplesChunkAndReportItsOffset() throws IOException {
        Path file = tmp.resolve("f.xdf");
        XdfTestFiles.writeAllFormats(file);
        byte[] bytes = Files.readAllBytes(file);
        List<Long> starts = chunkStarts(bytes);
        // chunk 0 FileHeader, 1..7 StreamHeaders, 8 = first Samples chunk of stream 1 (float32);
        // its first sample's time-stamp size byte sits after len(2)+tag(2)+id(4)+count(2)
        int at = (int) (long) starts.get(8);
        bytes[at + 2 + 2 + 4 + 2] = 5;
        Files.write(file, bytes);
        XdfRecording rec = XdfReader.read(file);
        assertThat(rec.problems()).hasSize(1);
        assertThat(rec.problems().get(0).offset()).isEqualTo(at);
        assertThat(rec.problems().get(0).reason())
                .contains("Samples chunk of stream 1")
                .contains("time-stamp size 5");
        assertThat(rec.stream(1).sampleCount()).isEqualTo(3); // the second chunk survives
        assertThat(rec.stream(2).sampleCount()).isEqualTo(6);
    }

    @Test
    void shouldResynchroniseOnBoundaryAfterCorruptedLengthField() throws IOException {
        Path file = tmp.resolve("f.xdf");
        XdfTestFiles.writeAllFormats(file);
        byte[] bytes = Files.readAllBytes(file);
        List<Long> starts = chunkStarts(bytes);
        int at = (int) (long) starts.get(9);
        bytes[at] = 3; // not 1, 4 or 8
        Files.write(file, bytes);
        XdfRecording rec = XdfReader.read(file);
        assertThat(rec.problems())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.offset()).isEqualTo(at);
                            assertThat(p.reason())
                                    .contains("invalid length-field size 3")
                                    .contains("resumed after the Boundary");
                        });
        // the chunks between the corruption and the first boundary are lost, later ones kept
        assertThat(rec.stream(1).sampleCount()).isEqualTo(6);
        assertThat(rec.stream(2).sampleCount()).isEqualTo(3);
        assertThat(rec.stream(2).footerXml()).contains("<sample_count>6</sample_count>");
    }

    @Test
    void shouldRejectAFileThatIsNotXdf() throws IOException {
        Path file = Files.writeString(tmp.resolve("x.xdf"), "PK\u0003\u0004 zip");
        assertThatThrownBy(() -> XdfReader.read(file))
                .isInstanceOf(XdfFormatException.class)
                .hasMessageContaining("XDF:");
    }

    @Test
    void shouldReportSamplesOfAnUnknownStream() throws IOException {
        Path file = tmp.resolve("f.xdf");
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(
                    1,
                    XdfTestFiles.info("a", org.spikeloop.adapters.lsl.ChannelFormat.INT8, 1, 10));
            w.samples(1, new byte[] {1}, new double[] {1}, 1);
        }
        byte[] bytes = Files.readAllBytes(file);
        List<Long> starts = chunkStarts(bytes);
        int samplesChunk = (int) (long) starts.get(2);
        bytes[samplesChunk + 4] = 9; // stream id 1 -> 9
        Files.write(file, bytes);
        XdfRecording rec = XdfReader.read(file);
        assertThat(rec.problems())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.reason()).contains("stream 9 before its StreamHeader"));
    }
}
