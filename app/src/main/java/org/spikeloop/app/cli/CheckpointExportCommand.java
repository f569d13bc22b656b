package org.spikeloop.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop checkpoint export}: one float64 array per parameter plus {@code __spec_json__}
 * in an {@code .npz}, and the spec as {@code OUT.spec.json} beside it.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write a checkpoint's parameters and spec to a NumPy .npz (+ OUT.spec.json).")
final class CheckpointExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CK", description = "Checkpoint to read.")
    Path checkpoint;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "OUT.npz",
            description = "Archive to write (and OUT.spec.json beside it).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Checkpoint c = Checkpoint.read(checkpoint);
        NpzInterchange.export(c, out);
        spec.commandLine().getOut().println(out + " " + NpzInterchange.specSibling(out));
        return 0;
    }
}
