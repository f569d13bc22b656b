package org.spikeloop.adapters.xdf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;

/** Small XDF files with every chunk type and format, written by {@link XdfWriter}. */
final class XdfTestFiles {
    private XdfTestFiles() {}

    static StreamInfo info(String name, ChannelFormat f, int ch, double rate) {
        return StreamInfo.builder(name, "Test", ch, f)
                .nominalSrateHz(rate)
                .sourceId(name + "-src")
                .build();
    }

    /**
     * Writes: 7 streams (one per format), 2 Samples chunks each, clock offsets, a boundary,
     * footers.
     */
    static void writeAllFormats(Path file) throws IOException {
        try (XdfWriter w = new XdfWriter(file)) {
            ChannelFormat[] formats = ChannelFormat.values();
            for (int i = 0; i < formats.length; i++) {
                w.streamHeader(
                        i + 1,
                        info(
                                "s-" + formats[i].xmlName(),
                                formats[i],
                                2,
                                formats[i] == ChannelFormat.STRING ? 0 : 100));
            }
            for (int chunk = 0; chunk < 2; chunk++) {
                for (int i = 0; i < formats.length; i++) {
                    double[] ts = {10 + chunk * 0.03, 10.01 + chunk * 0.03, 10.02 + chunk * 0.03};
                    w.samples(i + 1, values(formats[i], chunk), ts, 3);
                    w.clockOffset(i + 1, 100.0 + chunk * 5, -0.001 * (chunk + 1));
                }
                w.boundary();
            }
        }
    }

    static Object values(ChannelFormat f, int chunk) {
        int n = 6;
        int k = chunk * n;
        return switch (f) {
            case FLOAT32 ->
                    new float[] {k + 0.5f, -k, Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, 3.25f};
            case DOUBLE64 ->
                    new double[] {
                        Math.PI * k, -1e300, Double.MIN_VALUE, 0.1, Double.NEGATIVE_INFINITY, k
                    };
            case INT8 -> new byte[] {(byte) k, -128, 127, 0, -1, 5};
            case INT16 -> new short[] {(short) k, Short.MIN_VALUE, Short.MAX_VALUE, 0, -1, 300};
            case INT32 -> new int[] {k, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 70000};
            case INT64 -> new long[] {k, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 53 + 1};
            case STRING -> new String[] {"a" + k, "", "é中", "x".repeat(300), "<&>", "tab\tnl\n"};
        };
    }

    static List<ChannelFormat> formats() {
        return List.of(ChannelFormat.values());
    }
}
