package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.JobProgress;
import org.spikeloop.server.jobs.MotorImageryRecordings.Markers;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * Classification jobs end to end on raw XDF recordings of simulated motor imagery (an EEG stream
 * and a marker stream): the job applies the config's front-end, cuts trials from the markers,
 * trains and reports per-trial decisions next to CSP+LDA; every kind of bad input is refused with
 * the registry left as it was.
 */
class ClassificationJobTest {
    @TempDir static Path shared;
    static Path recording;
    static String config;

    @TempDir Path dir;
    CheckpointRegistry registry;

    @BeforeAll
    static void record() throws Exception {
        recording = shared.resolve("mi.xdf");
        MotorImageryRecordings.write(
                recording,
                MotorImageryRecordings.config(3).build(),
                24,
                500.0,
                Markers.STRINGS,
                null);
        config = smallConfig(Files.readString(Path.of("../examples/jobs/motor-imagery.json")));
    }

    /** The example config, shorter training. */
    private static String smallConfig(String example) {
        JsonObject o = JsonParser.parseString(example).getAsJsonObject();
        o.getAsJsonObject("training").addProperty("epochs", 3);
        o.getAsJsonObject("options").addProperty("threads", 1);
        return o.toString();
    }

    @BeforeEach
    void open() throws Exception {
        registry = CheckpointRegistry.open(dir.resolve("registry"));
    }

    private TrainingJobRequest request(Path rec, String cfg) {
        return request(rec, MotorImageryRecordings.MARKERS, cfg);
    }

    private TrainingJobRequest request(Path rec, String labelsStream, String cfg) {
        return new TrainingJobRequest(
                "s1",
                List.of(rec),
                MotorImageryRecordings.EEG,
                labelsStream,
                Double.NaN,
                Double.NaN,
                cfg,
                null,
                Double.NaN,
                0,
                3,
                "alice");
    }

    /** A recording of 24 trials cued by strings, its marker events changed by {@code edit}. */
    private Path recordingWithMarkers(String name, UnaryOperator<List<Object[]>> edit)
            throws IOException {
        Path f = dir.resolve(name);
        MotorImageryRecordings.write(
                f, MotorImageryRecordings.config(3).build(), 24, 500.0, Markers.STRINGS, edit);
        return f;
    }

    @Test
    void shouldReportEveryHeldOutTrialNextToCspLda() throws Exception {
        List<JobProgress> progress = new ArrayList<>();
        JobResult r =
                new TrainingJob("mi-a", request(recording, config), registry, 1)
                        .run(progress::add, () -> false);
        assertThat(r.outcome()).isNull();
        assertThat(r.classification()).isNotNull();
        assertThat(r.summary())
                .matches(
                        "held-out accuracy [01]\\.\\d{3} \\(\\d+/12 trials; csp_lda [01]\\.\\d{3};"
                                + " bandpower_lda [01]\\.\\d{3}\\)");
        assertThat(r.classification().heldOut().accuracy()).isGreaterThan(0.5);
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(0).validationAccuracy()).isBetween(0.0, 1.0);
        RegistryEntry e = registry.find(r.checkpoint().id()).orElseThrow();
        assertThat(e.lineage().scores())
                .containsKeys(
                        "accuracy",
                        "recall.left",
                        "recall.right",
                        "max_class_share",
                        "csp_lda_accuracy",
                        "bandpower_lda_accuracy");
        assertThat(registry.roles("s1").reference()).isEqualTo(r.checkpoint().id());
        JsonObject report = JsonParser.parseString(Files.readString(r.report())).getAsJsonObject();
        assertThat(report.get("summary").getAsString()).isEqualTo(r.summary());
        JsonObject data = report.getAsJsonObject("data");
        assertThat(data.get("trials").getAsInt()).isEqualTo(24);
        assertThat(data.get("heldOutTrials").getAsInt()).isEqualTo(12);
        assertThat(data.get("fitTrials").getAsInt() + data.get("innerValidationTrials").getAsInt())
                .isEqualTo(12);
        assertThat(data.getAsJsonObject("frontEnd").get("from").getAsString()).isEqualTo("config");
        assertThat(report.getAsJsonObject("choices").get("classBias").getAsString())
                .isEqualTo("calibrated: classOffsets added to the readout bias");
        JsonObject held = report.getAsJsonObject("scores").getAsJsonObject("heldOut");
        JsonArray perTrial = held.getAsJsonArray("perTrial");
        assertThat(perTrial).hasSize(12);
        JsonObject first = perTrial.get(0).getAsJsonObject();
        assertThat(first.get("trial").getAsInt()).isEqualTo(12);
        assertThat(first.get("class").getAsString()).isIn("left", "right");
        double p =
                first.getAsJsonObject("probabilities").get("left").getAsDouble()
                        + first.getAsJsonObject("probabilities").get("right").getAsDouble();
        assertThat(p).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        JsonArray confusion = held.getAsJsonObject("confusion").getAsJsonArray("counts");
        int total = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                total += confusion.get(i).getAsJsonArray().get(j).getAsInt();
            }
        }
        assertThat(total).isEqualTo(12);
        JsonObject csp =
                report.getAsJsonObject("scores")
                        .getAsJsonObject("baselines")
                        .getAsJsonObject("csp_lda");
        assertThat(csp.get("accuracy").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(csp.get("settings").getAsString()).contains("CSP pairs");
        assertThat(report.toString()).doesNotContain("NaN");
        assertThat(ImageIO.read(r.plot().toFile()).getHeight()).isGreaterThan(300);
    }

    @Test
    void shouldReadANumericMarkerStreamByItsCodes() throws Exception {
        Path f = dir.resolve("codes.xdf");
        MotorImageryRecordings.write(
                f, MotorImageryRecordings.config(3).build(), 24, 500.0, Markers.NUMERIC, null);
        JobResult r =
                new TrainingJob("mi-codes", request(f, config), registry, 1)
                        .run(p -> {}, () -> false);
        JobResult s =
                new TrainingJob("mi-strings", request(recording, config), registry, 1)
                        .run(p -> {}, () -> false);
        // the same recording with codes 769/770 instead of left_hand/right_hand: the same trials
        assertThat(r.classification().heldOut().truth())
                .containsExactly(s.classification().heldOut().truth());
        assertThat(r.classification().heldOut().trials().get(0).cue()).isIn("769", "770");
    }

    @Test
    void shouldListUnknownMarkersAndLeaveTheRegistryUnchanged() throws Exception {
        Path f =
                recordingWithMarkers(
                        "unknown.xdf",
                        events -> {
                            List<Object[]> r = new ArrayList<>(events);
                            r.add(3, new Object[] {(double) events.get(2)[0] + 0.1, "beep"});
                            r.add(5, new Object[] {(double) events.get(3)[0] + 0.1, "beep"});
                            return r;
                        });
        assertRegistryUnchangedAfter(
                request(f, config), "unknown markers", "'beep' ×2", "labels stream 'mi-markers'");
    }

    @Test
    void shouldRefuseOverlappingTrialWindows() throws Exception {
        Path f =
                recordingWithMarkers(
                        "overlap.xdf",
                        events -> {
                            List<Object[]> r = new ArrayList<>();
                            for (Object[] e : events) {
                                r.add(e);
                                if (e[1].equals("left_hand")) { // a second cue 1 s into the window
                                    r.add(new Object[] {(double) e[0] + 1.0, "right_hand"});
                                }
                            }
                            return r;
                        });
        assertRegistryUnchangedAfter(request(f, config), "overlapping trial windows");
    }

    @Test
    void shouldRefuseAClassWithoutTrials() throws Exception {
        Path f =
                recordingWithMarkers(
                        "oneclass.xdf",
                        events -> {
                            List<Object[]> r = new ArrayList<>();
                            for (Object[] e : events) {
                                r.add(
                                        e[1].equals("right_hand")
                                                ? new Object[] {e[0], "left_hand"}
                                                : e);
                            }
                            return r;
                        });
        assertRegistryUnchangedAfter(
                request(f, config), "class 'right' has no trial inside the inputs");
    }

    @Test
    void shouldRefuseAMarkerStreamOfSeveralChannelsAndMissingStreams() throws Exception {
        assertRegistryUnchangedAfter(
                request(recording, MotorImageryRecordings.EEG, config),
                "has 4 channels; a classification job reads a marker");
        assertRegistryUnchangedAfter(
                request(recording, "cues", config), "has no labels stream 'cues'");
    }

    @Test
    void shouldRefuseTooFewTrialsForTheSplit() throws Exception {
        Path f = dir.resolve("few.xdf");
        MotorImageryRecordings.write(
                f, MotorImageryRecordings.config(3).build(), 4, 500.0, Markers.STRINGS, null);
        assertRegistryUnchangedAfter(request(f, config), "4 trials: too few");
    }

    @Test
    void shouldRefuseAClassificationConfigThatDoesNotFitTheTask() {
        String threeOutputs = config.replace("\"size\":2,", "\"size\":3,");
        assertRegistryUnchangedAfter(
                request(recording, threeOutputs),
                "network.readout.size is 3 but task.classNames has 2 classes");
        String mse =
                config.replace(
                        "{\"name\":\"readout_ce\",\"average\":\"window\"}",
                        "{\"name\":\"readout_mse\"}");
        assertRegistryUnchangedAfter(
                request(recording, mse), "loss.name: a classification task trains readout_ce");
        String badCue = config.replace("\"770\":\"right\"", "\"770\":\"up\"");
        assertRegistryUnchangedAfter(request(recording, badCue), "task.cueClasses: '770' → 'up'");
    }

    private void assertRegistryUnchangedAfter(TrainingJobRequest req, String... messages) {
        List<RegistryEntry> before = registry.list();
        String rolesBefore = registry.allRoles().toString();
        var thrown =
                assertThatThrownBy(
                                () ->
                                        new TrainingJob("job-x", req, registry, 1)
                                                .run(p -> {}, () -> false))
                        .isInstanceOf(InvalidJobException.class);
        for (String m : messages) {
            thrown.hasMessageContaining(m);
        }
        assertThat(registry.list()).isEqualTo(before);
        assertThat(registry.allRoles().toString()).isEqualTo(rolesBefore);
        try (var s = Files.list(registry.reportsDir())) {
            assertThat(s.count()).isZero();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
