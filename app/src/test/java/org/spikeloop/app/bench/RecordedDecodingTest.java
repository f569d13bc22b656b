package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.XdfWriter;
import org.spikeloop.learn.jobs.RegressionScore;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.recording.StreamHeader;

class RecordedDecodingTest {
    @TempDir Path dir;

    /**
     * A session file in miniature: labels at 10 Hz (stamps 1.0, 1.1, ...), outputs at 100 Hz from
     * 0.955 s, output = label held at the frame's stamp + a known offset on output 1.
     */
    private Path recording(boolean withLabels) throws Exception {
        return recording(
                withLabels,
                StreamInfo.builder("labels", "Labels", 2, ChannelFormat.FLOAT32).build());
    }

    private Path recording(boolean withLabels, StreamInfo labelsHeader) throws Exception {
        Path f = dir.resolve("s-1-20261206T000000Z.xdf");
        try (XdfWriter w = new XdfWriter(f)) {
            w.streamHeader(
                    3,
                    StreamInfo.builder("outputs", "Decoded", 2, ChannelFormat.FLOAT32)
                            .nominalSrateHz(100)
                            .build());
            w.streamHeader(2, labelsHeader);
            if (withLabels) {
                float[] labels = new float[2 * 20];
                double[] labelStamps = new double[20];
                for (int i = 0; i < 20; i++) {
                    labelStamps[i] = 1.0 + 0.1 * i;
                    labels[2 * i] = i;
                    labels[2 * i + 1] = -i;
                }
                w.samples(2, labels, labelStamps, 20);
            }
            float[] out = new float[2 * 200];
            double[] stamps = new double[200];
            for (int f0 = 0; f0 < 200; f0++) {
                // half a frame off the label grid, so no frame ties with a label's stamp
                stamps[f0] = 0.955 + 0.01 * f0;
                int held = (int) Math.floor((stamps[f0] - 1.0) / 0.1);
                out[2 * f0] = Math.max(held, 0);
                out[2 * f0 + 1] = -Math.max(held, 0) + 0.5f;
            }
            w.samples(3, out, stamps, 200);
            w.streamFooters();
        }
        return f;
    }

    @Test
    void shouldHoldTheLastLabelStampedAtOrBeforeEachFrameAndDropFramesBeforeTheFirst()
            throws Exception {
        RecordedDecoding d = RecordedDecoding.read(recording(true));

        // frames at 0.955..0.995 s precede the first label (1.0 s): left out
        assertThat(d.frames()).isEqualTo(195);
        assertThat(d.stampsS()[0]).isCloseTo(1.005, within(1e-9));
        for (int i = 0; i < d.frames(); i++) {
            assertThat(d.labels()[i][0]).isEqualTo(d.decoded()[i][0]);
            assertThat(d.decoded()[i][1] - d.labels()[i][1]).isCloseTo(0.5, within(1e-6));
        }
        assertThat(d.firstAtOrAfter(1.5)).isEqualTo(50);
        assertThat(d.firstAtOrAfter(99)).isEqualTo(d.frames());
    }

    @Test
    void shouldFindTheLabelsOfAnLslLabelledSessionByRoleUnderTheirSourcesName() throws Exception {
        // A session with continuous LSL labels records them under the source's header and name.
        StreamInfo kinematics =
                StreamHeader.copyOf(
                                StreamInfo.builder(
                                                "rig-kinematics",
                                                "Kinematics",
                                                2,
                                                ChannelFormat.FLOAT32)
                                        .channelLabels(List.of("vx", "vy"))
                                        .build())
                        .session("s-1", SessionRecording.LABELS)
                        .info();

        RecordedDecoding d = RecordedDecoding.read(recording(true, kinematics));

        assertThat(d.frames()).isEqualTo(195);
        assertThat(d.labels()[0][0]).isEqualTo(d.decoded()[0][0]);
    }

    @Test
    void shouldScoreAsTheJobScoresItsHeldOutPart() throws Exception {
        RecordedDecoding d = RecordedDecoding.read(recording(true));
        int from = d.firstAtOrAfter(1.5);

        RegressionScore s = d.scoreFrom(from);

        assertThat(s.r2()[0]).isEqualTo(1.0); // decoded = label exactly
        // output 1 is off by 0.5 everywhere: R² = 1 - n·0.25 / SST of the window's labels
        double mean = 0;
        for (int i = from; i < d.frames(); i++) {
            mean += d.labels()[i][1];
        }
        mean /= d.frames() - from;
        double sst = 0;
        for (int i = from; i < d.frames(); i++) {
            sst += Math.pow(d.labels()[i][1] - mean, 2);
        }
        assertThat(s.r2()[1]).isCloseTo(1 - (d.frames() - from) * 0.25 / sst, within(1e-9));
        assertThat(s.mse()[1]).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void shouldAverageBins() throws Exception {
        double[][][] bins = RecordedDecoding.read(recording(true)).bins(10);
        assertThat(bins[0]).hasNumberOfRows(19); // 195 frames → 19 whole bins of 10
        assertThat(bins[0][0][0]).isEqualTo(0.0);
        assertThat(bins[1][3][1] - bins[0][3][1]).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void shouldRefuseARecordingWithoutLabels() throws Exception {
        Path f = recording(false);
        assertThatThrownBy(() -> RecordedDecoding.read(f))
                .hasMessageContaining("no decoded frame has a label");
    }
}
