package org.spikeloop.adapters.eegfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the reader helper's output format (header.json + signal.f32) by hand, so the Java side is
 * tested on exactly what it reads without running Python.
 */
final class EegFiles {
    private EegFiles() {}

    /** Sample {@code s} of channel {@code c}: distinct, exactly representable in float32. */
    static float value(long s, int c) {
        return (float) (s * 0.25 - 100 * c);
    }

    static Path helperOutput(
            Path dir,
            double rateHz,
            long samples,
            String channelsJson,
            int channels,
            String markersJson)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(EegRecording.HEADER),
                "{\"file\":\"rec.gdf\",\"format\":\"GDF 1.25\",\"reader\":\"mne 1.13.2\","
                        + "\"sha256\":\"0123456789abcdef0123456789abcdef\",\"hostname\":\"host-a\","
                        + "\"meas_date\":null,\"sampling_rate_hz\":"
                        + rateHz
                        + ",\"samples\":"
                        + samples
                        + ",\"channels\":"
                        + channelsJson
                        + ",\"markers\":"
                        + markersJson
                        + ",\"notes\":[\"C3: corrected <µV>\"]}");
        ByteBuffer b =
                ByteBuffer.allocate((int) (samples * channels * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (long s = 0; s < samples; s++) {
            for (int c = 0; c < channels; c++) {
                b.putFloat(value(s, c));
            }
        }
        Files.write(dir.resolve(EegRecording.SIGNAL), b.array());
        return dir;
    }

    static final String TWO_CHANNELS =
            "[{\"label\":\"C3\",\"type\":\"EEG\",\"unit\":\"microvolts\"},"
                    + "{\"label\":\"EOG & 1\",\"type\":\"EOG\",\"unit\":\"microvolts\"}]";
}
