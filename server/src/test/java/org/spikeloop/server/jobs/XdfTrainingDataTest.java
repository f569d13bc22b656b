package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.StageSpec;

class XdfTrainingDataTest {
    @TempDir Path dir;

    private LabelledSequence read(Path f, double from, double to) {
        return XdfTrainingData.read(
                List.of(f), RigRecordings.SPIKES, RigRecordings.KINEMATICS, from, to, 16, 2);
    }

    @Test
    void shouldAlignLabelsAndRestrictToTheTimeRange() throws Exception {
        Path f = dir.resolve("a.xdf");
        RigRecordings.write(f, 2.0, 3, 0);
        LabelledSequence all = read(f, Double.NaN, Double.NaN);
        assertThat(all.frames()).isEqualTo(2000);
        LabelledSequence part = read(f, 1000.5, 1001.0);
        assertThat(part.firstS()).isGreaterThanOrEqualTo(1000.5);
        assertThat(part.lastS()).isLessThanOrEqualTo(1001.0);
        assertThat(part.frames()).isBetween(499, 501);
        assertThat(part.y()).isNotEmpty();
    }

    @Test
    void shouldRefuseARecordingWithoutLabels() throws Exception {
        Path f = dir.resolve("nolabels.xdf");
        RigRecordings.write(f, 1.0, 1000.0, 3, 0, false, 16);
        assertThatThrownBy(() -> read(f, Double.NaN, Double.NaN))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("no labels stream 'rig-kinematics'")
                .hasMessageContaining("needs labelled data");
    }

    @Test
    void shouldRefuseAChannelCountOtherThanTheArchitecture() throws Exception {
        Path f = dir.resolve("wide.xdf");
        RigRecordings.write(f, 1.0, 1000.0, 3, 0, true, 20);
        assertThatThrownBy(() -> read(f, Double.NaN, Double.NaN))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("has 20 channels, but the architecture has 16 inputs");
    }

    /** A session recording (samples, labels, outputs) of 4 channels, with or without front-end. */
    private Path sessionRecording(String name, String frontEnd) {
        Path f = dir.resolve(name);
        SessionRecording rec =
                SessionRecording.open(
                        "s-test",
                        f,
                        4,
                        250,
                        2,
                        50,
                        frontEnd,
                        true,
                        org.spikeloop.adapters.xdf.XdfRecorder.Config.defaults());
        float[] x = new float[100 * 4];
        double[] ts = new double[100];
        for (int i = 0; i < 100; i++) {
            ts[i] = 10 + i / 250.0;
        }
        rec.offer(rec.samplesStream(), x, ts, 100);
        rec.offer(rec.labelsStream(), new float[] {1f, 0f}, new double[] {10.0}, 1);
        rec.close();
        return f;
    }

    private static LabelledSequence readSession(Path f, List<StageSpec> frontEnd, int inputs) {
        return XdfTrainingData.readLabelled(
                        List.of(f),
                        "samples",
                        "labels",
                        Double.NaN,
                        Double.NaN,
                        frontEnd,
                        inputs,
                        2)
                .sequence();
    }

    /** 250 Hz in, 50 Hz out: a normaliser after 5-sample binning. */
    private static final FrontEndSpec FRONT_END =
            new FrontEndSpec(
                    4,
                    250,
                    List.of(new StageSpec.Binning(0.02), new StageSpec.Normalise(1.0, 1e-6)));

    @Test
    void shouldRunTheSessionsFrontEndOverItsRawSamples() {
        Path plain = sessionRecording("plain.xdf", "");
        assertThat(readSession(plain, null, 4).frames()).isEqualTo(100);
        Path f = sessionRecording("fe.xdf", FrontEndJson.write(FRONT_END));
        LabelledSequence s = readSession(f, null, 4);
        assertThat(s.frames()).isEqualTo(20); // one frame per 5 samples
        assertThat(s.stampsS()[0]).isEqualTo(10 + 4 / 250.0); // the stamp of its last sample
        // the job config may name the same front-end (equal to 1e-9)
        assertThat(readSession(f, FRONT_END.stages(), 4).frames()).isEqualTo(20);
    }

    @Test
    void shouldRefuseAFrontEndThatDiffersFromTheRecordingsOrCannotBeRebuilt() {
        Path f = sessionRecording("fe.xdf", FrontEndJson.write(FRONT_END));
        List<StageSpec> other =
                List.of(new StageSpec.Binning(0.02), new StageSpec.Normalise(2.0, 1e-6));
        assertThatThrownBy(() -> readSession(f, other, 4))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("the session's front-end differs from the job config's")
                .hasMessageContaining("stage 1 (normalise): timeConstantS 1.0 vs 2.0");
        Path old = sessionRecording("old.xdf", "4 ch @ 250.0 Hz -> Normalise[...] -> 4 features");
        assertThatThrownBy(() -> readSession(old, null, 4))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("(4 ch @ 250.0 Hz -> Normalise[...] -> 4 features)")
                .hasMessageContaining("cannot be rebuilt");
        assertThatThrownBy(() -> readSession(f, null, 8))
                .hasMessageContaining(
                        "its front-end (from the recording) emits 4, but the"
                                + " architecture has 8 inputs");
    }

    @Test
    void shouldRunTheJobsFrontEndOverARawRecording() {
        Path plain = sessionRecording("plain.xdf", "");
        LabelledSequence s = readSession(plain, FRONT_END.stages(), 4);
        assertThat(s.frames()).isEqualTo(20);
    }

    @Test
    void shouldRefuseATruncatedRecording() throws Exception {
        Path f = dir.resolve("cut.xdf");
        RigRecordings.write(f, 1.0, 3, 0);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(f) - 37);
        }
        assertThatThrownBy(() -> read(f, Double.NaN, Double.NaN))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("is truncated at byte");
    }

    @Test
    void shouldRefuseAMissingFileAndAnEmptyRange() throws Exception {
        assertThatThrownBy(() -> read(dir.resolve("none.xdf"), Double.NaN, Double.NaN))
                .hasMessageContaining("does not exist");
        Path f = dir.resolve("a.xdf");
        RigRecordings.write(f, 1.0, 3, 0);
        assertThatThrownBy(() -> read(f, 5000, 5001))
                .hasMessageContaining("no labelled input samples in the time range");
        assertThatThrownBy(() -> read(f, 5001, 5000)).hasMessageContaining("must be after");
    }
}
