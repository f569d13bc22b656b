package org.spikeloop.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InvalidSpecException;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop checkpoint import}: builds a checkpoint from a NumPy {@code .npz} (float32 or
 * float64 arrays named as in docs/checkpoints.md), validated against the spec. The output is
 * written atomically and only after every check passed.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Build a checkpoint from an .npz of parameters and a network spec.")
final class CheckpointImportCommand implements Callable<Integer> {
    @Spec CommandSpec commandSpec;

    @Option(
            names = "--params",
            required = true,
            paramLabel = "PARAMS.npz",
            description = "Parameters, one float32 or float64 array per name.")
    Path npz;

    @Option(
            names = "--spec",
            paramLabel = "SPEC.json",
            description = "Network spec. Default: the archive's __spec_json__ entry.")
    Path specFile;

    @Mixin CheckpointOutput output;

    @Option(
            names = "--parent",
            paramLabel = "ID",
            description = "Content id of the checkpoint these weights derive from. Default: none.")
    String parent;

    @Override
    public Integer call() throws Exception {
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
        Checkpoint c =
                Checkpoint.create(
                        spec,
                        params,
                        Provenance.now(output.creator(), "import " + npz.getFileName())
                                .withParent(parent)
                                .withNotes(output.notes));
        c.write(output.out);
        commandSpec.commandLine().getOut().println(output.out + " " + c.contentId());
        return 0;
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
