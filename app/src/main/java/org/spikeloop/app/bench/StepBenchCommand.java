package org.spikeloop.app.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.spec.NetworkSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench step}: per-step latency of the decoder kernel on the PyTorch peer's
 * network (see {@link PeerNetwork}), with a busy-wait jitter probe of the same length as the
 * machine's noise floor. With {@code --json} stdout carries exactly one JSON object; progress goes
 * to stderr.
 */
@Command(
        name = "step",
        mixinStandardHelpOptions = true,
        description = "Time FloatNetwork.step per step (HdrHistogram), with allocation and jitter.")
public final class StepBenchCommand implements Callable<Integer> {
    private static final long SEED_NET = 1234;
    private static final long SEED_DATA = 5678;

    /** Distinct frames precomputed; longer runs reuse them cyclically. */
    private static final int MAX_FRAMES = 200_000;

    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Option(
            names = "--model",
            paramLabel = "lif|alif",
            defaultValue = "lif",
            description = "Neuron model. Default: ${DEFAULT-VALUE}.")
    String model;

    @Mixin NetworkSize size;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "20000",
            description =
                    "Untimed steps first (and at least 3 s of them). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(
            names = "--probe-spin-us",
            paramLabel = "US",
            defaultValue = "50",
            description =
                    "Busy-wait length of each jitter-probe sample, µs; 0 = the measured p50 step"
                            + " time (at least 1 µs), so probe and steps are equally exposed."
                            + " Default: ${DEFAULT-VALUE}.")
    int probeSpinUs;

    @Option(names = "--eprop", description = "Also run the e-prop learner every step.")
    boolean eprop;

    @Option(
            names = "--eprop-window",
            defaultValue = "0",
            paramLabel = "W",
            description =
                    "e-prop window in steps: 1 = per-step per-synapse work, 0 = chosen from the"
                            + " network size. Default: ${DEFAULT-VALUE}.")
    int epropWindow;

    @Mixin JsonOutput output;

    @Override
    public Integer call() {
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        validate();
        String m = model.toLowerCase(Locale.ROOT);
        NetworkSpec spec = PeerNetwork.spec(m, size.inputs, size.hidden, size.outputs);
        float[][] x =
                PeerNetwork.poissonInputs(
                        Math.min(MAX_FRAMES, warmup + steps), size.inputs, SEED_DATA);
        PeerNetwork.Calibration cal = PeerNetwork.calibrate(spec, SEED_NET, x);
        err.printf(
                Locale.ROOT,
                "bench step: %s H=%d rate at scale 1 = %.1f Hz; scale %.4f -> %.1f Hz%n",
                m,
                size.hidden,
                cal.rateAtUnitScaleHz(),
                cal.scale(),
                cal.rateHz());
        err.flush();
        FloatNetwork net = new FloatNetwork(spec, PeerNetwork.params(spec, cal.scale(), SEED_NET));
        StepWorkload workload =
                eprop ? StepWorkloads.eprop(net, epropWindow) : StepWorkloads.inference(net);
        float[][] targets = PeerNetwork.targets(eprop ? x.length : 1, size.outputs, SEED_DATA + 1);
        StepLatencyBench.Result r =
                StepLatencyBench.run(workload, x, targets, size.outputs, warmup, steps);
        long spinNs =
                probeSpinUs > 0
                        ? probeSpinUs * 1000L
                        : Math.max(1000L, Math.round(r.p50Us() * 1000.0));
        JitterProbe.Result probe = JitterProbe.run(steps, spinNs);
        double rateHz = r.spikes() / (size.hidden * (double) steps * PeerNetwork.DT_MS / 1000.0);
        if (output.json) {
            out.println(json(m, r, probe, rateHz, cal.scale(), workload));
        } else {
            out.printf(
                    Locale.ROOT,
                    "model=%s neurons=%d inputs=%d outputs=%d eprop=%s steps=%d rate=%.1f Hz%n"
                            + "latency us: p50 %.2f p99 %.2f p99.9 %.2f max %.2f mean %.2f;"
                            + " >1ms %d; alloc %.3f B/step%n"
                            + "probe (%.1f us spin) overshoot us: p99 %.2f max %.2f; >1ms %d%n",
                    m,
                    size.hidden,
                    size.inputs,
                    size.outputs,
                    eprop,
                    steps,
                    rateHz,
                    r.p50Us(),
                    r.p99Us(),
                    r.p999Us(),
                    r.maxUs(),
                    r.meanUs(),
                    r.over1ms(),
                    r.allocBytesPerStep(),
                    probe.spinNs() / 1000.0,
                    probe.p99Us(),
                    probe.maxUs(),
                    probe.over1ms());
        }
        out.flush();
        return 0;
    }

    private void validate() {
        size.validate();
        NetworkSize.requirePositive("--steps", steps);
        if (probeSpinUs < 0) {
            throw new IllegalArgumentException(
                    "--probe-spin-us: must be >= 0 (0 = the p50 step time), got " + probeSpinUs);
        }
        if (epropWindow < 0 || epropWindow > 256) {
            throw new IllegalArgumentException(
                    "--eprop-window: must be in [1, 256] or 0 (auto), got " + epropWindow);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup: must be >= 0, got " + warmup);
        }
    }

    private String json(
            String m,
            StepLatencyBench.Result r,
            JitterProbe.Result p,
            double rateHz,
            double scale,
            StepWorkload workload) {
        StringBuilder b = new StringBuilder("{");
        field(b, "p50_us", StepLatencyBench.num(r.p50Us()));
        field(b, "p99_us", StepLatencyBench.num(r.p99Us()));
        field(b, "p999_us", StepLatencyBench.num(r.p999Us()));
        field(b, "max_us", StepLatencyBench.num(r.maxUs()));
        field(b, "mean_us", StepLatencyBench.num(r.meanUs()));
        field(b, "alloc_bytes_per_step", StepLatencyBench.num(r.allocBytesPerStep()));
        field(b, "alloc_bytes_total", Long.toString(r.allocBytesTotal()));
        field(b, "steps", Integer.toString(r.steps()));
        field(b, "warmup_steps", Integer.toString(r.warmupSteps()));
        field(b, "over_1ms", Long.toString(r.over1ms()));
        field(b, "rate_hz", StepLatencyBench.num(rateHz));
        field(b, "weight_scale", StepLatencyBench.num(scale));
        field(b, "model", "\"" + m + "\"");
        field(b, "neurons", Integer.toString(size.hidden));
        field(b, "inputs", Integer.toString(size.inputs));
        field(b, "outputs", Integer.toString(size.outputs));
        field(b, "eprop", Boolean.toString(eprop));
        field(b, "eprop_window", Integer.toString(workload.epropWindowSteps()));
        field(b, "eprop_state_bytes", Long.toString(workload.epropStateBytes()));
        field(b, "probe_spin_us", StepLatencyBench.num(p.spinNs() / 1000.0));
        field(b, "probe_p99_us", StepLatencyBench.num(p.p99Us()));
        field(b, "probe_max_us", StepLatencyBench.num(p.maxUs()));
        field(b, "probe_over_1ms", Long.toString(p.over1ms()));
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String jsonValue) {
        if (b.length() > 1) {
            b.append(", ");
        }
        b.append('"').append(name).append("\": ").append(jsonValue);
    }
}
