package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * Issue 14's bad input at the command line ({@code spikeloop train --xdf}): a recording shorter
 * than one training window, targets that are constant, a config whose architecture does not match
 * the recording's channels. Each ends in one line on stderr and exit code 2, and leaves the
 * registry as it was (entries, roles, no report). TrainingJobTest covers the job underneath.
 */
class TrainCommandBadInputTest {
    @TempDir Path dir;
    Path registryDir;
    Path config;
    List<RegistryEntry> before;

    @BeforeEach
    void setUp() throws Exception {
        registryDir = dir.resolve("registry");
        CheckpointRegistry.open(registryDir)
                .register(
                        Checkpoint.create(
                                RigRecordings.spec(),
                                Initializer.initialise(RigRecordings.spec(), InitSpec.seeded(1)),
                                Provenance.now("tester", "init")),
                        new Lineage("s1", "init", null, "", DataRange.none(), "tester"));
        before = CheckpointRegistry.open(registryDir).list();
        // A config for the 16-unit test rig, as small as the recordings below.
        config =
                Files.writeString(
                        dir.resolve("job.json"),
                        "{\"network\": "
                                + SpecJson.toJson(RigRecordings.spec())
                                + ", \"loss\": {\"name\": \"readout_mse\"}, \"training\":"
                                + " {\"learningRate\": 0.01, \"epochs\": 2, \"batchSize\": 8,"
                                + " \"clipNorm\": 1.0}}");
    }

    private CliRun train(Path recording, Path jobConfig) {
        return CliRun.of(
                "train",
                "--xdf",
                recording.toString(),
                "--inputs-stream",
                RigRecordings.SPIKES,
                "--labels-stream",
                RigRecordings.KINEMATICS,
                "--registry",
                registryDir.toString(),
                "--session",
                "s1",
                "--config",
                jobConfig.toString(),
                "--no-progress");
    }

    private void assertRefusedInOneLine(CliRun r, String... parts) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("spikeloop train: ");
        for (String p : parts) {
            assertThat(lines.get(0)).contains(p);
        }
        CheckpointRegistry registry = CheckpointRegistry.open(registryDir);
        assertThat(registry.list()).isEqualTo(before);
        assertThat(registry.roles("s1").reference()).isNull();
        try (var reports = Files.list(registry.reportsDir())) {
            assertThat(reports.count()).isZero();
        }
    }

    @Test
    void shouldRefuseARecordingShorterThanOneTrainingWindow() throws Exception {
        // 0.8 s: less than the default window of 1 s of the network's dt.
        Path rec = dir.resolve("short.xdf");
        RigRecordings.write(rec, 0.8, 7, 0);
        assertRefusedInOneLine(
                train(rec, config), "800 labelled frames", "too short", "window of 1000 frames");
    }

    @Test
    void shouldRefuseConstantTargets() throws Exception {
        Path rec = dir.resolve("constant.xdf");
        RigRecordings.writeConstantLabels(rec, 12.0, 7);
        assertRefusedInOneLine(train(rec, config), "is constant");
    }

    @Test
    void shouldRefuseAConfigWhoseArchitectureDoesNotMatchTheRecordingsChannels() throws Exception {
        // The shipped config decodes the 96-unit rig; this recording has the test rig's 16 units.
        Path rec = dir.resolve("rec.xdf");
        RigRecordings.write(rec, 8.0, 7, 0);
        assertRefusedInOneLine(
                train(rec, Path.of("..", "examples", "jobs", "intracortical-regression.json")),
                "rec.xdf",
                "16 channels",
                "96");
    }
}
