package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop checkpoint export}: one float64 array per parameter plus {@code __spec_json__}
 * in an {@code .npz}, and the spec as {@code OUT.spec.json} beside it.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write a checkpoint's parameters and spec to a NumPy .npz (+ OUT.spec.json).")
final class CheckpointExportCommand extends CheckpointSubcommand {
    @Parameters(index = "0", paramLabel = "CK", description = "Checkpoint to read.")
    Path checkpoint;

    @Option(
            names = "--npz",
            required = true,
            paramLabel = "OUT.npz",
            description = "Archive to write.")
    Path npz;

    @Override
    void execute(PrintWriter stdout) throws Exception {
        Checkpoint c = Checkpoint.read(checkpoint);
        NpzInterchange.export(c, npz);
        stdout.println(npz + " " + NpzInterchange.specSibling(npz));
    }
}
