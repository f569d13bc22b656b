package org.spikeloop.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * {@link FloatNetwork#step} on the decoder's shape: 96 Poisson inputs at 20 Hz (precomputed,
 * seeded, cycled), one recurrent LIF or ALIF layer of 256 or 1024 neurons (reset by subtraction, θ
 * = 1, τ = 20 ms, W_rec at spectral radius 1, no autapses), 2 leaky readouts. Run with {@code -prof
 * gc} to see the allocation per step (0 B/op expected). The per-step latency distribution under
 * real-time conditions is {@code spikeloop bench step}'s job; this measures the kernel's cost.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StepBenchmark {
    private static final int INPUTS = 96;
    private static final int OUTPUTS = 2;
    private static final int FRAMES = 10_000;

    @Param({"256", "1024"})
    int neurons;

    @Param({"lif", "alif"})
    String model;

    private FloatNetwork network;
    private float[][] frames;
    private float[] out;
    private int t;

    @Setup(Level.Trial)
    public void setUp() {
        NeuronSpec neuron = model.equals("alif") ? NeuronSpec.alif() : NeuronSpec.lif();
        NetworkSpec spec = NetworkSpec.recurrent(INPUTS, neurons, OUTPUTS, neuron);
        // Input gains that put the recurrent rate inside the peer's 5–50 Hz band (printed below).
        double inputGain = model.equals("alif") ? 4.5 : 2.0;
        NetworkParams params =
                Initializer.initialise(spec, new InitSpec(1234, inputGain, 1.0, 1.0));
        network = new FloatNetwork(spec, params);
        SplittableRandom rng = new SplittableRandom(5678);
        frames = new float[FRAMES][INPUTS];
        for (float[] f : frames) {
            for (int i = 0; i < INPUTS; i++) {
                f[i] = rng.nextDouble() < 0.02 ? 1f : 0f;
            }
        }
        out = new float[OUTPUTS];
        long spikes = 0;
        for (int s = 0; s < FRAMES; s++) {
            network.step(frames[s], out);
            spikes += network.layer(0).spikeCount();
        }
        System.err.printf(
                "%n[setup] %s H=%d recurrent rate %.1f Hz%n",
                model, neurons, spikes / (neurons * (double) FRAMES / 1000.0));
    }

    @Benchmark
    public float step() {
        float[] frame = frames[t];
        t = t + 1 == FRAMES ? 0 : t + 1;
        network.step(frame, out);
        return out[0];
    }
}
