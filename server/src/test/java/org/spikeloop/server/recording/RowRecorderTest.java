package org.spikeloop.server.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;

class RowRecorderTest {
    private static final int CHANNELS = 3;
    private static final long MS = 1_000_000L;

    @TempDir Path dir;

    private SessionRecording open() {
        return SessionRecording.open(
                "rows",
                dir.resolve("rows.xdf"),
                CHANNELS,
                1000.0,
                2,
                true,
                XdfRecorder.Config.defaults());
    }

    private static void add(RowRecorder r, int row) {
        r.add(new float[] {row, row + 0.5f, -row}, 10.0 + row * 0.001);
    }

    @Test
    void shouldHoldPolledRowsUntilTheOldestHasWaitedFlushAfterNs() throws Exception {
        SessionRecording recording = open();
        RowRecorder r = new RowRecorder(recording, recording.samplesStream(), CHANNELS);
        add(r, 0);
        r.flushIfDue(1_000 * MS); // the poll that buffered the first row starts its wait
        add(r, 1);
        r.flushIfDue(1_000 * MS + RowRecorder.FLUSH_AFTER_NS - 1);
        assertThat(r.bufferedRows()).isEqualTo(2);
        add(r, 2);
        r.flushIfDue(1_000 * MS + RowRecorder.FLUSH_AFTER_NS);
        assertThat(r.bufferedRows()).isZero();

        add(r, 3); // a new wait starts with the next row, not with the old one
        r.flushIfDue(2_000 * MS);
        r.flushIfDue(2_000 * MS + RowRecorder.FLUSH_AFTER_NS / 2);
        assertThat(r.bufferedRows()).isEqualTo(1);
        r.flush();
        recording.close();

        XdfStream samples = readSamples(recording);
        assertThat(samples.sampleCount()).isEqualTo(4);
        for (int row = 0; row < 4; row++) {
            assertThat(samples.samples().doubleValue(row, 1)).isEqualTo(row + 0.5);
            assertThat(samples.timestamps()[row]).isEqualTo(10.0 + row * 0.001);
        }
    }

    @Test
    void shouldHandOnAFullBufferWithoutWaiting() throws Exception {
        SessionRecording recording = open();
        RowRecorder r = new RowRecorder(recording, recording.samplesStream(), CHANNELS);
        for (int row = 0; row < RowRecorder.CAPACITY_ROWS + 1; row++) {
            add(r, row);
        }
        assertThat(r.bufferedRows()).isEqualTo(1);
        r.flush();
        recording.close();
        assertThat(readSamples(recording).sampleCount()).isEqualTo(RowRecorder.CAPACITY_ROWS + 1);
        assertThat(recording.droppedChunks()).isZero();
    }

    @Test
    void shouldDoNothingWhenNothingIsBuffered() throws Exception {
        SessionRecording recording = open();
        RowRecorder r = new RowRecorder(recording, recording.samplesStream(), CHANNELS);
        r.flushIfDue(0);
        r.flushIfDue(RowRecorder.FLUSH_AFTER_NS * 10);
        r.flush();
        recording.close();
        assertThat(readSamples(recording).sampleCount()).isZero();
    }

    private static XdfStream readSamples(SessionRecording recording) throws Exception {
        XdfRecording rec = XdfReader.read(recording.file());
        assertThat(rec.problems()).isEmpty();
        return rec.stream(recording.samplesStream());
    }
}
