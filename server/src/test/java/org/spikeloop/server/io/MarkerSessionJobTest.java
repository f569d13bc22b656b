package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.MotorImageryEeg;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.jobs.JobResult;
import org.spikeloop.server.jobs.MotorImageryRecordings;
import org.spikeloop.server.jobs.TrainingJob;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.signal.FrontEndSpec;

/**
 * A classification job on the recording of a marker session, as a session writes it: the raw EEG
 * through the session's ingest path into the samples stream (its header naming the front-end), the
 * cue markers in the marker source's own stream, the trials and decisions streams next to them. The
 * job config names no front-end: the job takes the recording's.
 */
class MarkerSessionJobTest {
    @TempDir Path dir;

    @Test
    void shouldTrainAClassifierOnAMarkerSessionsRecordingWithItsFrontEnd() throws Exception {
        JsonObject config =
                JsonParser.parseString(
                                Files.readString(Path.of("../examples/jobs/motor-imagery.json")))
                        .getAsJsonObject();
        FrontEndSpec spec = new FrontEndSpec(4, 256, JobConfig.parse(config.toString()).frontEnd());
        config.remove("frontEnd");
        config.getAsJsonObject("training").addProperty("epochs", 2);
        config.getAsJsonObject("options").addProperty("threads", 1);
        Path file = dir.resolve("session.xdf");
        SessionRecording recording =
                SessionRecording.open(
                        "s-mi",
                        file,
                        4,
                        256,
                        2,
                        spec.outputRateHz(),
                        FrontEndJson.write(spec),
                        true,
                        StreamInfo.builder("cues", "Markers", 1, ChannelFormat.STRING)
                                .nominalSrateHz(0)
                                .sourceId("stimulus-pc")
                                .build(),
                        List.of("left", "right"),
                        XdfRecorder.Config.defaults());
        SampleRing ring = new SampleRing(spec.outputChannels(), 64);
        SampleIngest ingest = RecordedIngest.of(spec, ring, recording);
        MotorImageryEeg eeg = new MotorImageryEeg(MotorImageryRecordings.config(6).build());
        int chunk = 32;
        long ended = 0;
        long i = 0;
        while (ended < 24) {
            ingest.beginChunk(4, 4 * chunk, chunk, 256);
            for (int k = 0; k < chunk; k++, i++) {
                String marker = eeg.step(ingest.rowBuffer());
                double stamp = 100.0 + i / 256.0;
                ingest.offerRow(stamp);
                if (marker != null) {
                    ended += marker.equals("trial_end") ? 1 : 0;
                    while (!recording.offer(
                            recording.markersStream(),
                            new String[] {marker},
                            new double[] {stamp},
                            1)) {
                        Thread.sleep(1); // the recorder's queue is full: wait, as no test may drop
                    }
                }
            }
            ingest.endChunk();
            while (!ring.isEmpty()) { // what the engine would step on
                ring.advance();
            }
        }
        recording.close();
        assertThat(recording.droppedChunks()).isZero();

        JobResult r =
                new TrainingJob(
                                "mi-session",
                                new TrainingJobRequest(
                                        "s-mi",
                                        List.of(file),
                                        SessionRecording.SAMPLES,
                                        "cues",
                                        Double.NaN,
                                        Double.NaN,
                                        config.toString(),
                                        null,
                                        Double.NaN,
                                        0,
                                        2,
                                        "alice"),
                                CheckpointRegistry.open(dir.resolve("registry")),
                                1)
                        .run(p -> {}, () -> false);
        assertThat(r.classification().heldOut().count()).isEqualTo(12);
        assertThat(r.classification().heldOut().accuracy()).isGreaterThan(0.5);
        JsonObject data =
                JsonParser.parseString(Files.readString(r.report()))
                        .getAsJsonObject()
                        .getAsJsonObject("data");
        assertThat(data.get("trials").getAsInt()).isEqualTo(24);
        JsonObject frontEnd = data.getAsJsonObject("frontEnd");
        assertThat(frontEnd.get("from").getAsString()).isEqualTo("recording");
        assertThat(frontEnd.get("inputChannels").getAsInt()).isEqualTo(4);
    }
}
