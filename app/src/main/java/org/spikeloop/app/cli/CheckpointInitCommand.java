package org.spikeloop.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spikeloop checkpoint init}: a checkpoint of fresh, seeded {@link Initializer} weights. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write a checkpoint with fresh seeded weights for a network spec.")
final class CheckpointInitCommand implements Callable<Integer> {
    @Spec CommandSpec commandSpec;

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
            names = "--input-gain",
            defaultValue = "1.0",
            description = "Input weight std multiplier. Default: ${DEFAULT-VALUE}.")
    double inputGain;

    @Option(
            names = "--spectral-radius",
            defaultValue = "1.0",
            description = "Spectral radius of each W_rec. Default: ${DEFAULT-VALUE}.")
    double spectralRadius;

    @Option(
            names = "--readout-gain",
            defaultValue = "1.0",
            description = "Readout weight std multiplier. Default: ${DEFAULT-VALUE}.")
    double readoutGain;

    @Mixin CheckpointOutput output;

    @Override
    public Integer call() throws Exception {
        output.requireDestination();
        NetworkSpec spec = SpecJson.parse(Files.readString(specFile));
        InitSpec init = new InitSpec(seed, inputGain, spectralRadius, readoutGain);
        Provenance p =
                Provenance.now(
                                output.creator(),
                                "init seed="
                                        + seed
                                        + " inputGain="
                                        + inputGain
                                        + " spectralRadius="
                                        + spectralRadius
                                        + " readoutGain="
                                        + readoutGain)
                        .withNotes(output.notes);
        Checkpoint c = Checkpoint.create(spec, Initializer.initialise(spec, init), p);
        output.save(c, "init", commandSpec.commandLine().getOut());
        return 0;
    }
}
