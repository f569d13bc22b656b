package org.spikeloop.app.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.learn.loss.ReadoutMse;
import org.spikeloop.learn.optim.Adam;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * SG-BPTT training throughput on the PyTorch peer's problem ({@code shared/bench/torch_step.py}
 * {@code bptt_bench}): 96 Poisson inputs (20 Hz, dt 1 ms) → 256 recurrent LIF (τ 20 ms, θ 1,
 * subtractive reset not detached, fast-sigmoid surrogate 1/(10|u| + 1)²) → 2 leaky outputs (τ 20
 * ms), T = 1000, batch 32, MSE to random sinusoids, Adam η = 1e−3, float64. One iteration = forward
 * + backward + optimiser step; throughput = T·B / (mean seconds per timed iteration).
 */
public final class TrainBench {
    /** Result of a run. */
    public record Result(
            int inputs,
            int neurons,
            int outputs,
            int steps,
            int batch,
            int threads,
            int iterations,
            double secondsPerIteration,
            double secondsMin,
            double secondsMax,
            double stepsBatchPerSecond,
            long trajectoryBytes,
            double meanRateHz,
            double firstLoss,
            double lastLoss) {}

    private TrainBench() {}

    /** The benchmark network. */
    public static NetworkSpec spec(int inputs, int neurons, int outputs) {
        NeuronSpec lif =
                NeuronSpec.lif().withSurrogate(new SurrogateSpec("fast_sigmoid", 10.0, 1.0));
        return NetworkSpec.recurrent(inputs, neurons, outputs, lif);
    }

    /** Deterministic Poisson inputs and sinusoid targets (seeded). */
    public static Batch data(int inputs, int outputs, int steps, int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[batch * steps * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.02 ? 1.0 : 0.0;
        }
        double[] y = new double[batch * steps * outputs];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outputs; o++) {
                double f = 1.0 + 4.0 * rng.nextDouble();
                double ph = 2.0 * Math.PI * rng.nextDouble();
                for (int t = 0; t < steps; t++) {
                    y[(b * steps + t) * outputs + o] =
                            0.5 * Math.sin(2.0 * Math.PI * f * t * 1e-3 + ph);
                }
            }
        }
        Map<String, Tensor> targets = new HashMap<>();
        targets.put("y", new Tensor(new int[] {batch, steps, outputs}, y));
        return new Batch(x, batch, steps, inputs, targets);
    }

    /** Runs {@code warmup} untimed then {@code iterations} timed training iterations. */
    public static Result run(
            int inputs,
            int neurons,
            int outputs,
            int steps,
            int batchSize,
            int threads,
            int warmup,
            int iterations) {
        NetworkSpec spec = spec(inputs, neurons, outputs);
        NetworkParams params = Initializer.initialise(spec, InitSpec.seeded(1234));
        Batch batch = data(inputs, outputs, steps, batchSize, 5678);
        List<ObjectiveTerm> terms = List.of(new ReadoutMse(outputs));
        Adam adam = Adam.withLearningRate(1e-3);
        List<Double> times = new ArrayList<>();
        double first = Double.NaN;
        double last = Double.NaN;
        long bytes = 0;
        double rate = 0.0;
        try (BpttEngine engine =
                new BpttEngine(new BpttNetwork(spec), new BpttOptions(false, false, threads))) {
            for (int it = 0; it < warmup + iterations; it++) {
                long t0 = System.nanoTime();
                GradientResult r = engine.compute(params, batch, terms);
                adam.step(params, r.gradients(), Set.of());
                long dt = System.nanoTime() - t0;
                if (it >= warmup) {
                    times.add(dt / 1e9);
                }
                if (it == 0) {
                    first = r.loss();
                }
                last = r.loss();
                bytes = Math.max(bytes, r.trajectoryBytes());
                rate = r.meanRateHz().get("layer0");
            }
        }
        double mean = times.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double min = times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return new Result(
                inputs,
                neurons,
                outputs,
                steps,
                batchSize,
                threads,
                iterations,
                mean,
                min,
                max,
                steps * (double) batchSize / mean,
                bytes,
                rate,
                first,
                last);
    }
}
