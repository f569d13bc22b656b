package org.spikeloop.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.nir.NirException;
import org.spikeloop.snn.nir.NirFile;
import org.spikeloop.snn.nir.NirGraph;
import org.spikeloop.snn.nir.NirImport;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InvalidSpecException;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop checkpoint import}: builds a checkpoint from a NIR graph ({@code MODEL.nir},
 * docs/checkpoints.md "NIR") or from a NumPy {@code .npz} (float32 or float64 arrays named as in
 * docs/checkpoints.md) with its spec, validated, and writes it to {@code --out} and/or registers it
 * in {@code --registry}. Nothing is written unless every check passed.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Build a checkpoint from a NIR file (MODEL.nir) or from an .npz of parameters and a"
                        + " network spec.")
final class CheckpointImportCommand implements Callable<Integer> {
    @Spec CommandSpec commandSpec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "MODEL.nir",
            description = "NIR graph (HDF5) to import. Default: none (then --params).")
    Path nir;

    @Option(
            names = "--params",
            paramLabel = "PARAMS.npz",
            description = "Parameters, one float32 or float64 array per name. Default: none.")
    Path npz;

    @Option(
            names = "--spec",
            paramLabel = "SPEC.json",
            description = "Network spec (--params). Default: the archive's __spec_json__ entry.")
    Path specFile;

    @Option(
            names = "--dt-s",
            paramLabel = "SECONDS",
            description =
                    "The step the NIR file's time constants were discretised with (snnTorch 1.0:"
                            + " 1e-4). Default: the file's metadata dt.")
    Double dtS;

    @Option(
            names = "--step-ms",
            paramLabel = "MS",
            description =
                    "Spikeloop's step for a NIR import (one NIR step of --dt-s = one step of this"
                            + " length). Default: the NIR dt.")
    Double stepMs;

    @Mixin CheckpointOutput output;

    @Option(
            names = "--parent",
            paramLabel = "ID",
            description = "Content id of the checkpoint these weights derive from. Default: none.")
    String parent;

    @Override
    public Integer call() throws Exception {
        if ((nir == null) == (npz == null)) {
            throw new IllegalArgumentException(
                    "give either MODEL.nir or --params PARAMS.npz (exactly one)");
        }
        if (nir == null && (dtS != null || stepMs != null)) {
            throw new IllegalArgumentException("--dt-s and --step-ms apply to a NIR import only");
        }
        if (nir != null && specFile != null) {
            throw new IllegalArgumentException(
                    "--spec applies to --params only (a NIR file holds its architecture)");
        }
        output.requireDestination();
        Checkpoint c = nir != null ? fromNir() : fromNpz();
        output.save(c, "import", commandSpec.commandLine().getOut());
        return 0;
    }

    private Checkpoint fromNir() throws Exception {
        NirGraph graph = NirFile.read(nir); // its errors name the file
        NirImport.Result r;
        try {
            r = NirImport.toNetwork(graph, new NirImport.Options(dtS, stepMs));
        } catch (NirException e) {
            throw new NirException(nir + ": " + e.getMessage(), e);
        }
        return Checkpoint.create(
                r.spec(),
                r.params(),
                Provenance.now(
                                output.creator(),
                                String.format(
                                        Locale.ROOT,
                                        "import %s (NIR, dt %s s from %s)",
                                        nir.getFileName(),
                                        r.dtS(),
                                        r.source()))
                        .withParent(parent)
                        .withNotes(output.notes));
    }

    private Checkpoint fromNpz() throws Exception {
        NpzInterchange.Contents contents = NpzInterchange.read(npz);
        NetworkSpec spec = spec(contents);
        NetworkParams params;
        try {
            params = NetworkParams.of(spec, contents.tensors());
        } catch (InvalidSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(npz + " does not match the spec: " + e.getMessage(), e);
        }
        return Checkpoint.create(
                spec,
                params,
                Provenance.now(output.creator(), "import " + npz.getFileName())
                        .withParent(parent)
                        .withNotes(output.notes));
    }

    private NetworkSpec spec(NpzInterchange.Contents contents) throws Exception {
        if (specFile != null) {
            return parse(Files.readString(specFile), specFile.toString());
        }
        if (contents.specJson() == null) {
            throw new CheckpointException(
                    npz
                            + " has no "
                            + NpzInterchange.SPEC_ENTRY
                            + " entry; pass the architecture with --spec SPEC.json");
        }
        return parse(contents.specJson(), npz + " entry " + NpzInterchange.SPEC_ENTRY);
    }

    private static NetworkSpec parse(String json, String where) throws CheckpointException {
        try {
            return SpecJson.parse(json);
        } catch (InvalidSpecException e) {
            throw new CheckpointException(where + ": invalid spec: " + e.getMessage(), e);
        }
    }
}
