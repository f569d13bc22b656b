package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikeloop checkpoint init}: a checkpoint of fresh, seeded {@link Initializer} weights. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write a checkpoint with fresh seeded weights for a network spec.")
final class CheckpointInitCommand extends CheckpointSubcommand {
    @Option(
            names = "--spec",
            required = true,
            paramLabel = "SPEC.json",
            description = "Network spec (JSON).")
    Path specFile;

    @Option(
            names = "--seed",
            required = true,
            description = "Random seed; same seed, same weights.")
    long seed;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "CK",
            description = "Checkpoint to write.")
    Path out;

    @Option(
            names = "--input-gain",
            defaultValue = "1.0",
            description = "Input weight std multiplier (default ${DEFAULT-VALUE}).")
    double inputGain;

    @Option(
            names = "--spectral-radius",
            defaultValue = "1.0",
            description = "Spectral radius of each W_rec (default ${DEFAULT-VALUE}).")
    double spectralRadius;

    @Option(
            names = "--readout-gain",
            defaultValue = "1.0",
            description = "Readout weight std multiplier (default ${DEFAULT-VALUE}).")
    double readoutGain;

    @Option(
            names = "--creator",
            description = "Recorded as provenance creator (default: the OS user).")
    String creator;

    @Option(names = "--notes", defaultValue = "", description = "Free-form provenance notes.")
    String notes;

    @Override
    void execute(PrintWriter stdout) throws Exception {
        NetworkSpec spec = SpecJson.parse(Files.readString(specFile));
        InitSpec init = new InitSpec(seed, inputGain, spectralRadius, readoutGain);
        Provenance provenance =
                Provenance.now(
                                creator != null ? creator : defaultCreator(),
                                "init seed="
                                        + seed
                                        + " inputGain="
                                        + inputGain
                                        + " spectralRadius="
                                        + spectralRadius
                                        + " readoutGain="
                                        + readoutGain)
                        .withNotes(notes);
        Checkpoint c = Checkpoint.create(spec, Initializer.initialise(spec, init), provenance);
        c.write(out);
        stdout.println(out + " " + c.contentId());
    }
}
