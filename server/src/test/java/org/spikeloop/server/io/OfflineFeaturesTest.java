package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.EegMontage;
import org.spikeloop.adapters.sim.MotorImageryEeg;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.jobs.XdfTrainingData;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.signal.Band;
import org.spikeloop.signal.FrontEndSpec;

/**
 * The features a training job computes from a session recording are the ones the session's decoder
 * stepped on, bit for bit: EEG goes through the session's own ingest path ({@link SampleIngest} →
 * {@link FrontEndFeed} → the input ring, the raw samples to the recording, whose samples stream
 * names the front-end), and the job's reader ({@link XdfTrainingData}) rebuilds the front-end from
 * the recording and runs it over the recorded raw samples.
 */
class OfflineFeaturesTest {
    @TempDir Path dir;

    @Test
    void shouldComputeTheSessionsFeaturesBitForBitFromItsRecording() {
        FrontEndSpec spec =
                FrontEndSpec.eegBandPower(4, 256, List.of(Band.MU, Band.BETA), 0.5, 32, 30);
        Path file = dir.resolve("session.xdf");
        SessionRecording recording =
                SessionRecording.open(
                        "s-fe",
                        file,
                        4,
                        256,
                        2,
                        spec.outputRateHz(),
                        FrontEndJson.write(spec),
                        true,
                        XdfRecorder.Config.defaults());
        SampleRing ring = new SampleRing(spec.outputChannels(), 64);
        SampleIngest ingest = RecordedIngest.of(spec, ring, recording);
        MotorImageryEeg eeg =
                new MotorImageryEeg(
                        EegConfig.builder()
                                .montage(EegMontage.of("C3", "Cz", "C4", "FCz"))
                                .sampleRateHz(256)
                                .seed(4)
                                .build());
        recording.offer(recording.labelsStream(), new float[] {1f, 0f}, new double[] {99.0}, 1);
        List<float[]> online = new ArrayList<>();
        float[] row = new float[spec.outputChannels()];
        int chunk = 32;
        for (int c = 0; c < 40 * 256 / chunk; c++) { // 40 s in 32-sample chunks
            ingest.beginChunk(4, 4 * chunk, chunk, 256);
            for (int k = 0; k < chunk; k++) {
                eeg.step(ingest.rowBuffer());
                ingest.offerRow(100.0 + (c * chunk + k) / 256.0);
            }
            ingest.endChunk();
            while (!ring.isEmpty()) { // what the engine would step on
                ring.readInto(row);
                online.add(row.clone());
                ring.advance();
            }
        }
        recording.close();

        LabelledSequence offline =
                XdfTrainingData.read(
                        List.of(file),
                        "samples",
                        "labels",
                        Double.NaN,
                        Double.NaN,
                        spec.outputChannels(),
                        2);
        assertThat(online).hasSize(40 * 32);
        assertThat(offline.frames()).isEqualTo(online.size());
        int w = spec.outputChannels();
        int differing = 0;
        for (int f = 0; f < online.size(); f++) {
            for (int k = 0; k < w; k++) {
                float got = (float) offline.x()[f * w + k];
                differing +=
                        Float.floatToRawIntBits(got) == Float.floatToRawIntBits(online.get(f)[k])
                                ? 0
                                : 1;
                assertThat(offline.x()[f * w + k]).isEqualTo((double) got); // stored exactly
            }
        }
        assertThat(differing).isZero();
        assertThat(online.get(online.size() - 1)).isNotEqualTo(new float[w]); // not trivially equal
    }
}
