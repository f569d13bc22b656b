package org.spikeloop.adapters.xdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;

class XdfWriterTest {
    @TempDir Path tmp;

    @Test
    void shouldRoundTripEveryFormatThroughTheReader() throws Exception {
        Path file = tmp.resolve("all.xdf");
        XdfTestFiles.writeAllFormats(file);
        XdfRecording rec = XdfReader.read(file);
        assertThat(rec.truncated()).isFalse();
        assertThat(rec.problems()).isEmpty();
        assertThat(rec.boundaryChunks()).isEqualTo(2);
        assertThat(rec.fileHeaderXml()).contains("<version>1.0</version>");
        ChannelFormat[] formats = ChannelFormat.values();
        for (int i = 0; i < formats.length; i++) {
            XdfStream s = rec.stream(i + 1);
            assertThat(s.info().format()).isEqualTo(formats[i]);
            assertThat(s.info().sourceId()).isEqualTo("s-" + formats[i].xmlName() + "-src");
            assertThat(s.timestamps())
                    .containsExactly(10, 10.01, 10.02, 10 + 0.03, 10.01 + 0.03, 10.02 + 0.03);
            Object expected =
                    concat(XdfTestFiles.values(formats[i], 0), XdfTestFiles.values(formats[i], 1));
            assertThat(s.samples().toArray()).isEqualTo(expected);
            assertThat(s.clockTimes()).containsExactly(100.0, 105.0);
            assertThat(s.clockValues()).containsExactly(-0.001, -0.002);
            assertThat(s.footerXml())
                    .contains("<first_timestamp>10.0</first_timestamp>")
                    .contains("<last_timestamp>" + (10.02 + 0.03) + "</last_timestamp>")
                    .contains("<sample_count>6</sample_count>")
                    .contains("<offset><time>105.0</time><value>-0.002</value></offset>");
        }
    }

    private static Object concat(Object a, Object b) {
        int na = java.lang.reflect.Array.getLength(a);
        int nb = java.lang.reflect.Array.getLength(b);
        Object out = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), na + nb);
        System.arraycopy(a, 0, out, 0, na);
        System.arraycopy(b, 0, out, na, nb);
        return out;
    }

    @Test
    void shouldUseEightByteLengthsOnlyWhenNeeded() {
        assertThat(XdfEncoder.varLenBytes(255)).isEqualTo(1);
        assertThat(XdfEncoder.varLenBytes(256)).isEqualTo(4);
        assertThat(XdfEncoder.varLenBytes(0xFFFFFFFFL)).isEqualTo(4);
        assertThat(XdfEncoder.varLenBytes(0x100000000L)).isEqualTo(8);
    }

    @Test
    void shouldRefuseArrayOfTheWrongFormat() throws Exception {
        try (XdfWriter w = new XdfWriter(tmp.resolve("x.xdf"))) {
            w.streamHeader(1, XdfTestFiles.info("f", ChannelFormat.FLOAT32, 2, 100));
            assertThatThrownBy(() -> w.samples(1, new double[4], new double[2], 2))
                    .hasMessageContaining("float32 needs float[]");
            assertThatThrownBy(() -> w.samples(1, new float[3], new double[2], 2))
                    .hasMessageContaining("need 4 values");
            assertThatThrownBy(() -> w.samples(2, new float[2], new double[1], 1))
                    .hasMessageContaining("no StreamHeader");
        }
    }

    @Test
    void shouldRefuseNonFiniteClockOffset() throws Exception {
        try (XdfWriter w = new XdfWriter(tmp.resolve("x.xdf"))) {
            w.streamHeader(1, XdfTestFiles.info("f", ChannelFormat.FLOAT32, 1, 100));
            assertThatThrownBy(() -> w.clockOffset(1, 5.0, Double.NaN))
                    .hasMessageContaining("clock offset must be finite");
        }
    }

    @Test
    void shouldWriteFooterOfStreamWithoutSamples() throws Exception {
        Path file = tmp.resolve("empty.xdf");
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(7, StreamInfo.builder("e", "Markers", 1, ChannelFormat.STRING).build());
        }
        XdfStream s = XdfReader.read(file).stream(7);
        assertThat(s.sampleCount()).isZero();
        assertThat(s.footerXml()).contains("<sample_count>0</sample_count>");
        assertThat(Files.size(file)).isGreaterThan(4);
    }
}
