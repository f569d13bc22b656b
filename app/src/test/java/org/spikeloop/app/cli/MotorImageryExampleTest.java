package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.server.jobs.MotorImageryRecordings;
import org.spikeloop.server.registry.CheckpointRegistry;

/**
 * The shipped motor-imagery job config ({@code examples/jobs/motor-imagery.json}) through the
 * public command, as docs/jobs.md measures it: a raw XDF recording of simulated 4-channel 256 Hz
 * motor imagery, 40 trials (the first 20 calibrate, the last 20 are held out), made hard enough
 * (ERD 40 %) that CSP+LDA fitted on the same split scores within 75–90 %; the job must score at
 * least as well. It runs the five seeds of the ten docs/jobs.md tabulates on which CSP+LDA scores
 * 75–90 % (1, 3, 4, 6, 8): the table's claim is that the job is at least as good on every one of
 * them. Its spike-count variant runs the same way.
 */
class MotorImageryExampleTest {
    @TempDir Path dir;

    /**
     * {@code spikeloop train} with the shipped {@code examples/jobs/<config>} on a simulated
     * recording of {@code seed}: 40 trials, ERD 40 %, string markers.
     */
    private CliRun trainOnAHardRecording(int seed, String config) throws IOException {
        Path rec = dir.resolve("mi-sim.xdf");
        MotorImageryRecordings.write(
                rec,
                MotorImageryRecordings.config(seed).erdFraction(0.4).build(),
                40,
                1000.0,
                MotorImageryRecordings.Markers.STRINGS,
                null);
        return MotorImageryTrain.run(
                rec, dir.resolve("registry"), "../examples/jobs/" + config, "--no-progress");
    }

    /** The report the job wrote into the registry. */
    private JsonObject report() throws IOException {
        CheckpointRegistry reg = CheckpointRegistry.open(dir.resolve("registry"));
        Path report;
        try (var s = Files.list(reg.reportsDir())) {
            report = s.filter(p -> p.toString().endsWith(".report.json")).findFirst().orElseThrow();
        }
        return JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 3, 4, 6, 8})
    void shouldScoreAtLeastAsWellAsCspLdaOnAHardSimulatedRecording(int seed) throws Exception {
        CliRun r = trainOnAHardRecording(seed, "motor-imagery.json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonObject scores = report().getAsJsonObject("scores");
        double job = scores.getAsJsonObject("heldOut").get("accuracy").getAsDouble();
        double csp =
                scores.getAsJsonObject("baselines")
                        .getAsJsonObject("csp_lda")
                        .get("accuracy")
                        .getAsDouble();
        assertThat(scores.getAsJsonObject("heldOut").get("trials").getAsInt()).isEqualTo(20);
        assertThat(csp).as("CSP+LDA on the example recording").isBetween(0.75, 0.90);
        assertThat(job).as("the job vs CSP+LDA %.3f", csp).isGreaterThanOrEqualTo(csp);
        assertThat(scores.getAsJsonObject("heldOut").get("maxClassShare").getAsDouble())
                .isLessThanOrEqualTo(0.8);
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "csp_lda %.3f", csp));
    }

    /**
     * The spike-count variant ({@code examples/jobs/motor-imagery-spike-count.json}) through the
     * same command on the same recordings: it learns (docs/jobs.md measured 0.75–0.90 on these
     * seeds; 0.77 over the ten seeds against CSP+LDA's 0.82), without collapsing to one class, and
     * its report says the class bias was not calibrated.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 3, 4, 6, 8})
    void shouldTrainTheSpikeCountVariantWellAboveChance(int seed) throws Exception {
        CliRun r = trainOnAHardRecording(seed, "motor-imagery-spike-count.json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonObject json = report();
        JsonObject held = json.getAsJsonObject("scores").getAsJsonObject("heldOut");
        assertThat(held.get("trials").getAsInt()).isEqualTo(20);
        assertThat(held.get("accuracy").getAsDouble()).isGreaterThanOrEqualTo(0.7);
        assertThat(held.get("maxClassShare").getAsDouble()).isLessThanOrEqualTo(0.8);
        assertThat(json.getAsJsonObject("choices").get("classBias").getAsString())
                .startsWith("not calibrated");
        assertThat(r.out()).contains("held-out accuracy");
    }
}
