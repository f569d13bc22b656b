package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.jobs.MotorImageryRecordings;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;

/** {@code spikeloop train --xdf ... --registry DIR}: the training job as a standalone command. */
class TrainCommandXdfTest {
    @TempDir Path dir;
    Path registryDir;
    RegistryEntry start;

    @BeforeEach
    void setUp() throws Exception {
        registryDir = dir.resolve("registry");
        start =
                CheckpointRegistry.open(registryDir)
                        .register(
                                Checkpoint.create(
                                        RigRecordings.spec(),
                                        Initializer.initialise(
                                                RigRecordings.spec(), InitSpec.seeded(1)),
                                        Provenance.now("tester", "init")),
                                new Lineage("s1", "init", null, "", DataRange.none(), "tester"));
        RigRecordings.write(dir.resolve("rec.xdf"), 8.0, 7, 0);
    }

    private List<String> args(Path rec) {
        return new ArrayList<>(
                List.of(
                        "train",
                        "--xdf",
                        rec.toString(),
                        "--inputs-stream",
                        RigRecordings.SPIKES,
                        "--labels-stream",
                        RigRecordings.KINEMATICS,
                        "--registry",
                        registryDir.toString(),
                        "--start",
                        start.id(),
                        "--session",
                        "s1",
                        "--window-frames",
                        "250",
                        "--patience",
                        "2"));
    }

    @Test
    void shouldRegisterTheTrainedCheckpointAndWriteTheReport() throws Exception {
        List<String> a = args(dir.resolve("rec.xdf"));
        a.addAll(List.of("--out", dir.resolve("copy.ckpt").toString()));
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("epoch 1/30");
        CheckpointRegistry reg = CheckpointRegistry.open(registryDir);
        String id = reg.roles("s1").reference();
        assertThat(id).isNotNull().isNotEqualTo(start.id());
        RegistryEntry e = reg.find(id).orElseThrow();
        assertThat(e.lineage().parentId()).isEqualTo(start.id());
        assertThat(e.lineage().dataRange().files()).containsExactly("rec.xdf");
        assertThat(Checkpoint.read(dir.resolve("copy.ckpt")).contentId()).isEqualTo(id);
        assertThat(r.out()).contains("checkpoint " + id);
        try (var s = Files.list(reg.reportsDir())) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(".report.json"))
                    .anyMatch(n -> n.endsWith(".png"));
        }
    }

    @Test
    void shouldExitTwoNamingTheCaseAndLeaveTheRegistryUnchangedForARecordingWithoutLabels()
            throws Exception {
        Path f = dir.resolve("nolabels.xdf");
        RigRecordings.write(f, 4.0, 1000.0, 3, 0, false, RigRecordings.UNITS);
        CliRun r = CliRun.of(args(f).toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .contains("train: recording")
                .contains("has no labels stream 'rig-kinematics'");
        assertThat(CheckpointRegistry.open(registryDir).list()).containsExactly(start);
    }

    @Test
    void shouldTrainOnTheRecordingsOfADirectoryModifiedWithinSince() throws Exception {
        Path recs = Files.createDirectories(dir.resolve("recordings"));
        RigRecordings.write(recs.resolve("a.xdf"), 8.0, 7, 0);
        Files.writeString(recs.resolve("notes.txt"), "not a recording");
        CliRun r =
                CliRun.of(
                        "train",
                        "--recordings-dir",
                        recs.toString(),
                        "--since",
                        "24h",
                        "--inputs-stream",
                        RigRecordings.SPIKES,
                        "--labels-stream",
                        RigRecordings.KINEMATICS,
                        "--registry",
                        registryDir.toString(),
                        "--start",
                        start.id(),
                        "--window-frames",
                        "250",
                        "--patience",
                        "1",
                        "--no-progress");
        assertThat(r.exitCode()).as(r.err()).isZero();
        RegistryEntry e =
                CheckpointRegistry.open(registryDir).list().stream()
                        .filter(x -> x.lineage().kind().equals("job"))
                        .findFirst()
                        .orElseThrow();
        assertThat(e.lineage().dataRange().files()).containsExactly("a.xdf");
    }

    @Test
    void shouldRefuseABadSinceAndADirectoryWithoutRecordings() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun bad =
                CliRun.of(
                        "train",
                        "--recordings-dir",
                        empty.toString(),
                        "--since",
                        "yesterday",
                        "--registry",
                        registryDir.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--since: a positive duration");
        CliRun none =
                CliRun.of(
                        "train",
                        "--recordings-dir",
                        empty.toString(),
                        "--registry",
                        registryDir.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--recordings-dir: no .xdf file in");
        assertThat(CheckpointRegistry.open(registryDir).list()).containsExactly(start);
    }

    @Test
    void shouldLeaveNoRegistryBehindWhenARefusedJobNamedANewOne() throws Exception {
        // A job refused for its input (here: a config without a start checkpoint whose data
        // file does not exist) must not create DIR, its registry.lock or subdirectories.
        Path fresh = dir.resolve("never-written");
        Path config = dir.resolve("job.json");
        Files.writeString(config, "{}");
        CliRun r =
                CliRun.of(
                        "train",
                        "--xdf",
                        dir.resolve("missing.xdf").toString(),
                        "--inputs",
                        RigRecordings.SPIKES,
                        "--labels",
                        RigRecordings.KINEMATICS,
                        "--registry",
                        fresh.toString(),
                        "--start",
                        "f".repeat(64));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(fresh).doesNotExist();
    }

    @Test
    void shouldRequireARegistryWithXdf() {
        CliRun r =
                CliRun.of(
                        "train",
                        "--xdf",
                        dir.resolve("rec.xdf").toString(),
                        "--inputs-stream",
                        "a",
                        "--labels-stream",
                        "b");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--registry is required with --xdf");
    }

    @Test
    void shouldStillRequireDataConfigAndOutWithoutXdf() {
        CliRun r = CliRun.of("train", "--config", "x.json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--config, --data and --out are required");
    }

    @Test
    void shouldShareTheRegistryWithAnotherProcessRegisteringAtTheSameTime() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(org.spikeloop.app.Main.class.getName());
        cmd.addAll(args(dir.resolve("rec.xdf")));
        cmd.add("--no-progress");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CheckpointRegistry reg = CheckpointRegistry.open(registryDir);
        int registered = 0;
        while (child.isAlive()) {
            reg.register(
                    Checkpoint.create(
                            RigRecordings.spec(),
                            Initializer.initialise(
                                    RigRecordings.spec(), InitSpec.seeded(100 + registered)),
                            Provenance.now("server", "snapshot")),
                    Lineage.snapshot("s2", null, "server"));
            registered++;
        }
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor()).as(output).isZero();
        List<RegistryEntry> all = CheckpointRegistry.open(registryDir).list();
        assertThat(all).hasSize(1 + registered + 1);
        System.out.printf(
                "shared registry: %d registrations by this JVM during the child's job%n",
                registered);
        for (RegistryEntry e : all) {
            assertThat(reg.load(e.id()).contentId()).isEqualTo(e.id());
        }
    }

    @Test
    void shouldTrainAClassifierOnARawEegRecordingWithANumericMarkerStream() throws Exception {
        Path rec = dir.resolve("mi.xdf");
        MotorImageryRecordings.write(
                rec,
                MotorImageryRecordings.config(2).build(),
                24,
                100.0,
                MotorImageryRecordings.Markers.NUMERIC,
                null);
        Path config = dir.resolve("mi.json");
        Files.writeString(
                config,
                Files.readString(Path.of("../examples/jobs/motor-imagery.json"))
                        .replace("\"epochs\": 30", "\"epochs\": 2"));
        CliRun r = MotorImageryTrain.run(rec, registryDir, config.toString(), "--session", "s2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("epoch 1/2  train CE").contains("accuracy");
        assertThat(r.out())
                .containsPattern(
                        "held-out accuracy [01]\\.\\d{3} \\(\\d+/12 trials; csp_lda [01]\\.\\d{3};"
                                + " bandpower_lda [01]\\.\\d{3}\\)");
        CheckpointRegistry reg = CheckpointRegistry.open(registryDir);
        assertThat(reg.find(reg.roles("s2").reference()).orElseThrow().lineage().scores())
                .containsKey("csp_lda_accuracy");
    }

    @Test
    void shouldExitTwoListingUnknownMarkers() throws Exception {
        Path rec = dir.resolve("mi.xdf");
        MotorImageryRecordings.write(
                rec,
                MotorImageryRecordings.config(2).build(),
                24,
                100.0,
                MotorImageryRecordings.Markers.STRINGS,
                events -> {
                    List<Object[]> e = new ArrayList<>(events);
                    e.add(1, new Object[] {(double) events.get(0)[0] + 0.5, "fixation"});
                    return e;
                });
        CliRun r = MotorImageryTrain.run(rec, registryDir, "../examples/jobs/motor-imagery.json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip())
                .startsWith("spikeloop train: recording")
                .contains(
                        "unknown markers (in none of cue_classes, end_cues, ignored_markers):"
                                + " 'fixation' ×1")
                .doesNotContain("\n");
        assertThat(CheckpointRegistry.open(registryDir).list()).containsExactly(start);
    }
}
