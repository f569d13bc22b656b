package org.spikeloop.app.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench train}: SG-BPTT training throughput ({@link TrainBench}), in time-steps ×
 * batch per second, with the stored trajectory's size; the figure to compare with {@code
 * shared/bench/torch_step.py}'s {@code bptt_bench}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "SG-BPTT training throughput (96->256->2 LIF, T=1000, batch 32, Adam).")
public final class TrainBenchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of a text line.")
    boolean json;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--inputs", defaultValue = "96", description = "Inputs (${DEFAULT-VALUE}).")
    int inputs;

    @Option(names = "--neurons", defaultValue = "256", description = "Neurons (${DEFAULT-VALUE}).")
    int neurons;

    @Option(names = "--outputs", defaultValue = "2", description = "Outputs (${DEFAULT-VALUE}).")
    int outputs;

    @Option(names = "--steps", defaultValue = "1000", description = "T (${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Batch (${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "Untimed iterations (${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--iters",
            defaultValue = "5",
            description = "Timed iterations (${DEFAULT-VALUE}).")
    int iters;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        TrainBench.Result r =
                TrainBench.run(inputs, neurons, outputs, steps, batch, threads, warmup, iters);
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("benchmark", "sg_bptt_train");
            o.addProperty("inputs", r.inputs());
            o.addProperty("neurons", r.neurons());
            o.addProperty("outputs", r.outputs());
            o.addProperty("steps", r.steps());
            o.addProperty("batch", r.batch());
            o.addProperty("threads", r.threads());
            o.addProperty("iterations", r.iterations());
            o.addProperty("sec_per_iter", r.secondsPerIteration());
            o.addProperty("sec_min", r.secondsMin());
            o.addProperty("sec_max", r.secondsMax());
            o.addProperty("steps_batch_per_s", r.stepsBatchPerSecond());
            o.addProperty("trajectory_bytes", r.trajectoryBytes());
            o.addProperty("mean_rate_hz", r.meanRateHz());
            o.addProperty("loss_first", r.firstLoss());
            o.addProperty("loss_last", r.lastLoss());
            o.addProperty("precision", "float64");
            o.addProperty("load_average_1m_at_start", load);
            out.println(new GsonBuilder().create().toJson(o));
        } else {
            out.printf(
                    Locale.ROOT,
                    "SG-BPTT %d->%d->%d T=%d batch=%d threads=%d: %.3f s/iter (min %.3f max %.3f),"
                            + " %.0f steps*batch/s, trajectory %d bytes, rate %.1f Hz%n",
                    r.inputs(),
                    r.neurons(),
                    r.outputs(),
                    r.steps(),
                    r.batch(),
                    r.threads(),
                    r.secondsPerIteration(),
                    r.secondsMin(),
                    r.secondsMax(),
                    r.stepsBatchPerSecond(),
                    r.trajectoryBytes(),
                    r.meanRateHz());
        }
        out.flush();
        return 0;
    }
}
