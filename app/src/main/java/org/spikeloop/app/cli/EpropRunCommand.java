package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.learn.eprop.EpropRunJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop eprop run}: trains with the float64 e-prop reference over a labelled stream cut
 * into trials and writes the per-trial loss and final weights (see {@link EpropRunJob}).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Train online with e-prop (float64 reference); write per-trial loss and weights.")
public final class EpropRunCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "CFG.json",
            description = "{\"network\": spec, \"init\": {...}, \"eprop\": settings}.")
    Path config;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DATA.npz",
            description = "x [T,C], y [T,O], trial_steps, optional feedback [O,H].")
    Path data;

    @Option(
            names = "--params",
            paramLabel = "PARAMS.npz",
            description = "Initial parameters. Default: initialised from the config's init.")
    Path params;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "OUT.npz",
            description = "Per-trial loss and final weights to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        EpropRunJob.Result r = EpropRunJob.run(config, params, data, out);
        double[] loss = r.trialLoss();
        o.printf(
                Locale.ROOT,
                "trials %d  loss first %.17g  last %.17g  non-finite events %d  -> %s%n",
                loss.length,
                loss[0],
                loss[loss.length - 1],
                r.nonFiniteEvents(),
                out);
        o.flush();
        return 0;
    }
}
