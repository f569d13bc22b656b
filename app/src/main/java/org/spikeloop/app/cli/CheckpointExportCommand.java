package org.spikeloop.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import org.spikeloop.snn.nir.NirException;
import org.spikeloop.snn.nir.NirExport;
import org.spikeloop.snn.nir.NirFile;
import org.spikeloop.snn.nir.NirGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop checkpoint export}: one float64 array per parameter plus {@code __spec_json__}
 * in an {@code .npz}, and the spec as {@code OUT.spec.json} beside it ({@code --out}); or the
 * network as a NIR graph ({@code --nir}, docs/checkpoints.md "NIR"), refused with the spec field
 * named when NIR cannot express it.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write a checkpoint's parameters and spec to a NumPy .npz (+ OUT.spec.json), or the"
                        + " network to a NIR file.")
final class CheckpointExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CK", description = "Checkpoint to read.")
    Path checkpoint;

    @Option(
            names = "--out",
            paramLabel = "OUT.npz",
            description = "Archive to write (and OUT.spec.json beside it). Default: none.")
    Path out;

    @Option(
            names = "--nir",
            paramLabel = "MODEL.nir",
            description = "NIR file (HDF5) to write. Default: none.")
    Path nir;

    @Option(
            names = "--dt-s",
            paramLabel = "SECONDS",
            description =
                    "The step NIR's time constants are computed for (snnTorch's importer assumes"
                            + " 1e-4). Default: the checkpoint's dt.")
    Double dtS;

    @Override
    public Integer call() throws Exception {
        if ((out == null) == (nir == null)) {
            throw new IllegalArgumentException("give either --out OUT.npz or --nir MODEL.nir");
        }
        if (nir == null && dtS != null) {
            throw new IllegalArgumentException("--dt-s applies to --nir only");
        }
        Checkpoint c = Checkpoint.read(checkpoint);
        if (nir != null) {
            double dt = dtS != null ? dtS : c.spec().dtMs() / 1000.0;
            NirGraph g;
            try {
                g = NirExport.toGraph(c.spec(), c.params(), dt);
            } catch (NirException e) {
                throw new NirException(
                        checkpoint + " cannot be written as NIR: " + e.getMessage(), e);
            }
            NirFile.write(g, nir);
            spec.commandLine().getOut().println(nir);
            return 0;
        }
        NpzInterchange.export(c, out);
        spec.commandLine().getOut().println(out + " " + NpzInterchange.specSibling(out));
        return 0;
    }
}
