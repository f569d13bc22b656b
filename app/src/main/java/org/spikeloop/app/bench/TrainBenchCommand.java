package org.spikeloop.app.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin JsonOutput output;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "Worker threads. Default: the available processors (${DEFAULT-VALUE} here).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin NetworkSize size;

    @Option(
            names = "--window-frames",
            paramLabel = "T",
            defaultValue = "1000",
            description = "Time steps per training sequence. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "32",
            description = "Sequences per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "2",
            description = "Untimed iterations first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(
            names = "--iters",
            paramLabel = "N",
            defaultValue = "5",
            description = "Timed iterations. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Override
    public Integer call() {
        size.validate();
        NetworkSize.requirePositive("--window-frames", steps);
        NetworkSize.requirePositive("--batch", batch);
        NetworkSize.requirePositive("--threads", threads);
        NetworkSize.requirePositive("--iters", iters);
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup: must be >= 0, got " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        TrainBench.Result r =
                TrainBench.run(
                        size.inputs,
                        size.hidden,
                        size.outputs,
                        steps,
                        batch,
                        threads,
                        warmup,
                        iters);
        if (output.json) {
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
