package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InvalidSpecException;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop checkpoint import}: builds a checkpoint from a NumPy {@code .npz} (float32 or
 * float64 arrays named as in docs/checkpoints.md), validated against the spec. The output is
 * written atomically and only after every check passed.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Build a checkpoint from an .npz of parameters and a network spec.")
final class CheckpointImportCommand extends CheckpointSubcommand {
    @Option(
            names = "--npz",
            required = true,
            paramLabel = "IN.npz",
            description = "Parameters, one array per name.")
    Path npz;

    @Option(
            names = "--spec",
            paramLabel = "SPEC.json",
            description = "Network spec (default: the npz's __spec_json__ entry).")
    Path specFile;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "CK",
            description = "Checkpoint to write.")
    Path out;

    @Option(
            names = "--creator",
            description = "Recorded as provenance creator (default: the OS user).")
    String creator;

    @Option(
            names = "--parent",
            paramLabel = "ID",
            description = "Content id of the checkpoint these weights derive from.")
    String parent;

    @Option(names = "--notes", defaultValue = "", description = "Free-form provenance notes.")
    String notes;

    @Override
    void execute(PrintWriter stdout) throws Exception {
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
        Provenance provenance =
                Provenance.now(
                                creator != null ? creator : defaultCreator(),
                                "import " + npz.getFileName())
                        .withParent(parent)
                        .withNotes(notes);
        Checkpoint c = Checkpoint.create(spec, params, provenance);
        c.write(out);
        stdout.println(out + " " + c.contentId());
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
