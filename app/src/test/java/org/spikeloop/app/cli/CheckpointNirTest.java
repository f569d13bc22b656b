package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.checkpoint.Checkpoint;

/**
 * {@code checkpoint export --nir} and {@code checkpoint import MODEL.nir}, with the registry form.
 */
class CheckpointNirTest {
    static final String ZERO_RESET =
            "{\"dtMs\": 1.0, \"inputs\": 3, \"layers\": [{\"size\": 4, \"recurrent\": true,"
                    + " \"neuron\": {\"reset\": \"zero\"}}], \"readout\": {\"size\": 2}}";
    static final String SUBTRACT =
            "{\"inputs\": 3, \"layers\": [{\"size\": 4}], \"readout\": {\"size\": 2}}";

    @TempDir Path dir;

    private Path init(String spec, String name) throws Exception {
        Path s = dir.resolve(name + ".json");
        Files.writeString(s, spec);
        Path ck = dir.resolve(name + ".ckpt");
        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "init",
                        "--spec",
                        s.toString(),
                        "--seed",
                        "2",
                        "--out",
                        ck.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return ck;
    }

    @Test
    void shouldExportAndImportIntoARegistryWithLineageAndTheSameContentId() throws Exception {
        Path ck = init(ZERO_RESET, "a");
        Path nir = dir.resolve("a.nir");
        Path registry = dir.resolve("registry");

        CliRun export = CliRun.of("checkpoint", "export", ck.toString(), "--nir", nir.toString());
        CliRun imported =
                CliRun.of(
                        "checkpoint",
                        "import",
                        nir.toString(),
                        "--registry",
                        registry.toString(),
                        "--creator",
                        "lab",
                        "--notes",
                        "from NIR");

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out().trim()).isEqualTo(nir.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        String id = Checkpoint.read(ck).contentId();
        assertThat(imported.out().trim()).isEqualTo("registry " + registry + " " + id);
        RegistryEntry e = CheckpointRegistry.open(registry).find(id).orElseThrow();
        assertThat(e.lineage().kind()).isEqualTo("import");
        assertThat(e.lineage().creator()).isEqualTo("lab");
        assertThat(e.lineage().reason()).isEqualTo("from NIR");
        Checkpoint back = CheckpointRegistry.open(registry).load(id);
        assertThat(back.provenance().source())
                .isEqualTo("import a.nir (NIR, dt 0.001 s from the file's metadata dt)");
    }

    @Test
    void shouldRefuseASubtractiveResetNamingTheFieldAndWriteNothing() throws Exception {
        Path ck = init(SUBTRACT, "s");
        Path nir = dir.resolve("s.nir");

        CliRun run = CliRun.of("checkpoint", "export", ck.toString(), "--nir", nir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "spikeloop checkpoint export: "
                                + ck
                                + " cannot be written as NIR: layers[0].neuron.reset: SUBTRACT"
                                + " keeps the overshoot after a spike; NIR's neurons reset to"
                                + " v_reset (only a reset-to-zero network, ZERO, exports)");
        assertThat(nir).doesNotExist();
    }

    @Test
    void shouldRegisterAFreshInitWithoutAFile() throws Exception {
        Path s = dir.resolve("n.json");
        Files.writeString(s, ZERO_RESET);
        Path registry = dir.resolve("registry");

        CliRun run =
                CliRun.of(
                        "checkpoint",
                        "init",
                        "--spec",
                        s.toString(),
                        "--seed",
                        "2",
                        "--registry",
                        registry.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String id = run.out().trim().split(" ")[2];
        assertThat(CheckpointRegistry.open(registry).find(id).orElseThrow().lineage().kind())
                .isEqualTo("init");
    }

    @Test
    void shouldNameTheMissingOrConflictingInputs() throws Exception {
        Path nir = dir.resolve("m.nir");
        Files.writeString(nir, "x");

        CliRun noDestination = CliRun.of("checkpoint", "import", nir.toString());
        CliRun both =
                CliRun.of(
                        "checkpoint",
                        "import",
                        nir.toString(),
                        "--params",
                        dir.resolve("p.npz").toString(),
                        "--out",
                        dir.resolve("a.ckpt").toString());
        CliRun notHdf5 =
                CliRun.of(
                        "checkpoint",
                        "import",
                        nir.toString(),
                        "--out",
                        dir.resolve("a.ckpt").toString());

        assertThat(noDestination.errLines())
                .containsExactly(
                        "spikeloop checkpoint import: give --out CK, --registry DIR, or both");
        assertThat(both.errLines())
                .containsExactly(
                        "spikeloop checkpoint import: give either MODEL.nir or --params"
                                + " PARAMS.npz (exactly one)");
        assertThat(notHdf5.exitCode()).isEqualTo(2);
        assertThat(notHdf5.err()).startsWith("spikeloop checkpoint import: " + nir + ": ");
        assertThat(dir.resolve("a.ckpt")).doesNotExist();
    }
}
