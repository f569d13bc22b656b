package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.JobProgress;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.spec.SpecJson;

class TrainingJobTest {
    @TempDir Path dir;
    CheckpointRegistry registry;
    RegistryEntry start;
    Path recording;

    @BeforeEach
    void setUp() throws Exception {
        registry = CheckpointRegistry.open(dir.resolve("registry"));
        start = RigRecordings.registerStart(registry);
        recording = dir.resolve("rec.xdf");
        RigRecordings.write(recording, 12.0, 7, 0);
    }

    private TrainingJobRequest request(Path rec, String config, String startId) {
        return new TrainingJobRequest(
                "s1",
                List.of(rec),
                RigRecordings.SPIKES,
                RigRecordings.KINEMATICS,
                Double.NaN,
                Double.NaN,
                config,
                startId,
                0.25,
                250,
                3,
                "alice");
    }

    private static String smallConfig(int epochs) {
        JsonObject o =
                JsonParser.parseString(
                                "{\"loss\":{\"name\":\"readout_mse\"},\"training\":{\"learningRate\":0.01,"
                                        + "\"epochs\":"
                                        + epochs
                                        + ",\"batchSize\":8,\"clipNorm\":1.0}}")
                        .getAsJsonObject();
        o.add("network", SpecJson.toJson(RigRecordings.spec()));
        return o.toString();
    }

    @Test
    void shouldRegisterACheckpointWithLineageReportAndPlot() throws Exception {
        List<JobProgress> progress = new ArrayList<>();
        JobResult r =
                new TrainingJob(
                                "job-a",
                                request(recording, smallConfig(6), start.id()),
                                registry,
                                1)
                        .run(progress::add, () -> false);

        assertThat(progress).isNotEmpty();
        RegistryEntry e = registry.find(r.checkpoint().id()).orElseThrow();
        assertThat(e.lineage().parentId()).isEqualTo(start.id());
        assertThat(e.lineage().jobId()).isEqualTo("job-a");
        assertThat(e.lineage().creator()).isEqualTo("alice");
        assertThat(e.lineage().dataRange().files()).containsExactly("rec.xdf");
        assertThat(e.lineage().dataRange().fromS()).isEqualTo(1000.0);
        assertThat(registry.roles("s1").reference()).isEqualTo(e.id());
        assertThat(registry.load(e.id()).provenance().parentId()).isEqualTo(start.id());

        JsonObject report = JsonParser.parseString(Files.readString(r.report())).getAsJsonObject();
        assertThat(report.get("checkpoint").getAsString()).isEqualTo(e.id());
        JsonObject epochs = report.getAsJsonObject("epochs");
        // epoch 0 (the closed-form readout) has no training loss: null, never a bare NaN
        assertThat(epochs.getAsJsonArray("train").size()).isEqualTo(progress.size() + 1);
        assertThat(epochs.getAsJsonArray("train").get(0).isJsonNull()).isTrue();
        assertThat(epochs.get("unit").getAsString()).contains("standardised targets");
        assertThat(Files.readString(r.report())).doesNotContain("NaN");
        JsonObject data = report.getAsJsonObject("data");
        assertThat(data.get("heldOutFrames").getAsInt()).isPositive();
        assertThat(data.get("trainingFrames").getAsInt())
                .isGreaterThan(data.get("innerValidationFrames").getAsInt());
        JsonObject scores = report.getAsJsonObject("scores");
        assertThat(scores.getAsJsonArray("outputs").size()).isEqualTo(2);
        double jobR2 = scores.getAsJsonObject("heldOut").get("meanR2").getAsDouble();
        assertThat(scores.getAsJsonObject("heldOut").getAsJsonObject("r2").size()).isEqualTo(2);
        assertThat(scores.getAsJsonObject("startCheckpoint").get("meanR2").getAsDouble())
                .isLessThan(jobR2);
        assertThat(scores.getAsJsonObject("baselines").keySet())
                .containsExactly("kalman", "wiener");
        assertThat(report.get("summary").getAsString())
                .startsWith("held-out R² ")
                .contains("kalman");
        assertThat(r.summary()).isEqualTo(report.get("summary").getAsString());
        assertThat(e.lineage().scores()).containsKeys("r2.output 0", "kalman_r2.output 1");
        assertThat(e.lineage().scores().get("r2.output 0"))
                .isEqualTo(
                        scores.getAsJsonObject("heldOut")
                                .getAsJsonObject("r2")
                                .get("output 0")
                                .getAsDouble());
        assertThat(report.has("config")).isTrue();
        assertThat(report.get("durationSeconds").getAsDouble()).isPositive();
        assertThat(ImageIO.read(r.plot().toFile()).getWidth()).isEqualTo(1000);
        // the lineage's scores survive a reopening of the registry
        assertThat(
                        CheckpointRegistry.open(dir.resolve("registry"))
                                .find(e.id())
                                .orElseThrow()
                                .lineage()
                                .scores())
                .isEqualTo(e.lineage().scores());
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForARecordingShorterThanTheSplit() throws Exception {
        Path shortRec = dir.resolve("short.xdf");
        RigRecordings.write(shortRec, 0.4, 7, 0);
        assertRegistryUnchangedAfter(
                request(shortRec, smallConfig(1), start.id()),
                "too short for a 0.25 held-out part");
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForConstantTargets() throws Exception {
        Path constant = dir.resolve("constant.xdf");
        RigRecordings.writeConstantLabels(constant, 12.0, 7);
        assertRegistryUnchangedAfter(request(constant, smallConfig(1), start.id()), "is constant");
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForALossThatIsNotRegression() throws Exception {
        String config =
                smallConfig(1)
                        .replace("readout_mse", "spike_count_ce")
                        .replace("\"type\":\"leaky\"", "\"type\":\"spike_count\"");
        assertRegistryUnchangedAfter(
                request(recording, config, null), "loss readout_mse on a leaky readout");
    }

    @Test
    void shouldUseTheSessionArchitectureWhenNoConfigIsGiven() {
        JobResult r =
                new TrainingJob("job-b", request(recording, null, start.id()), registry, 1)
                        .run(p -> {}, () -> false);
        assertThat(registry.load(r.checkpoint().id()).spec())
                .isEqualTo(registry.load(start.id()).spec());
    }

    private void assertRegistryUnchangedAfter(TrainingJobRequest req, String message)
            throws Exception {
        List<RegistryEntry> before = registry.list();
        String rolesBefore = registry.allRoles().toString();
        assertThatThrownBy(
                        () -> new TrainingJob("job-x", req, registry, 1).run(p -> {}, () -> false))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining(message);
        assertThat(registry.list()).isEqualTo(before);
        assertThat(registry.allRoles().toString()).isEqualTo(rolesBefore);
        try (var s = Files.list(registry.reportsDir())) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForARecordingWithoutLabels() throws Exception {
        Path f = dir.resolve("nolabels.xdf");
        RigRecordings.write(f, 4.0, 1000.0, 3, 0, false, RigRecordings.UNITS);
        assertRegistryUnchangedAfter(request(f, null, start.id()), "no labels stream");
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForAChannelCountMismatch() throws Exception {
        Path f = dir.resolve("wide.xdf");
        RigRecordings.write(f, 4.0, 1000.0, 3, 0, true, 24);
        assertRegistryUnchangedAfter(request(f, null, start.id()), "has 24 channels");
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForATruncatedRecording() throws Exception {
        Path f = dir.resolve("cut.xdf");
        RigRecordings.write(f, 4.0, 3, 0);
        try (var ch =
                java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(f) - 100);
        }
        assertRegistryUnchangedAfter(request(f, null, start.id()), "truncated");
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForAnInvalidConfig() throws Exception {
        String bad = smallConfig(3).replace("\"epochs\":3", "\"epochs\":0");
        assertRegistryUnchangedAfter(
                request(recording, bad, start.id()), "training.epochs must be >= 1");
        assertRegistryUnchangedAfter(request(recording, "{\"network\": 3}", null), "config:");
    }

    @Test
    void shouldLeaveTheRegistryUnchangedForAnUnknownStartCheckpoint() throws Exception {
        assertRegistryUnchangedAfter(request(recording, null, "d".repeat(64)), "start checkpoint");
    }

    @Test
    void shouldRejectARequestWithoutLabelsStreamName() {
        assertThatThrownBy(
                        () ->
                                new TrainingJobRequest(
                                        "s1",
                                        List.of(recording),
                                        "a",
                                        "",
                                        Double.NaN,
                                        Double.NaN,
                                        null,
                                        start.id(),
                                        0.25,
                                        100,
                                        2,
                                        "alice"))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("labels_stream");
    }
}
