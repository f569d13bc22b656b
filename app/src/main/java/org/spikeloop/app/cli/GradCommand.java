package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.eprop.EpropGradientJob;
import org.spikeloop.learn.train.GradientJob;
import org.spikeloop.learn.train.JobConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop grad}: one exact SG-BPTT gradient of a configuration's objective, written as
 * {@code .npz} (see {@link GradientJob}) so any framework can check it; with {@code --eprop} the
 * e-prop gradient instead, same names and loss convention (see {@link EpropGradientJob}; one
 * LIF/ALIF layer, leaky readout, {@code readout_mse}; an unsupported configuration is refused
 * naming the field).
 */
@Command(
        name = "grad",
        mixinStandardHelpOptions = true,
        description = "Compute the SG-BPTT loss and gradient for given parameters and data.")
public final class GradCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Job JSON.")
    Path config;

    @Option(
            names = "--params",
            required = true,
            paramLabel = "PARAMS.npz",
            description = "Parameters, one float64 array per name.")
    Path params;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DATA.npz",
            description = "x [B,T,C] or [T,C] and the loss's targets.")
    Path data;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "GRADS.npz",
            description = "Loss and gradients to write.")
    Path out;

    @Option(
            names = "--eprop",
            description =
                    "Write the e-prop gradient (symmetric feedback) instead of BPTT's: one"
                            + " LIF/ALIF layer (recurrent or not), leaky readout, readout_mse.")
    boolean eprop;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        JobConfig job = JobConfig.parse(Files.readString(config));
        if (eprop) {
            EpropGradientJob.Result r = EpropGradientJob.run(job, params, data, out);
            o.printf(Locale.ROOT, "e-prop loss %.17g  -> %s%n", r.loss(), out);
            o.flush();
            return 0;
        }
        GradientResult r = GradientJob.run(job, params, data, out);
        o.printf(
                Locale.ROOT,
                "loss %.17g  trajectory %d bytes  -> %s%n",
                r.loss(),
                r.trajectoryBytes(),
                out);
        o.flush();
        return 0;
    }
}
