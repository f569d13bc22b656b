package org.spikeloop.server.engine;

import java.util.List;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.OptimizerKind;
import org.spikeloop.learn.eprop.ReadoutLoss;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** A real engine over the real float32 kernel (and real e-prop if asked), with a manual clock. */
final class EngineFixture {
    final NetworkSpec spec;
    final NetworkParams params;
    final SampleRing input;
    final SampleRing labels;
    final FrameRing frames;
    final EngineCounters counters = new EngineCounters();
    final LatencyRecorders latency;
    final ManualClock clock = new ManualClock();
    final EngineAgent engine;
    final EpropLearner learner;
    final TrialEventRing events; // marker sessions only
    final DecisionRing decisions;
    final TrialWindows trials;

    EngineFixture(int inputs, int hidden, int outputs, long seed, LatencyRecorders recorders) {
        this(inputs, hidden, outputs, seed, recorders, false);
    }

    /** With {@code eprop}, the session has a real e-prop learner (SGD, update every 20 steps). */
    EngineFixture(
            int inputs,
            int hidden,
            int outputs,
            long seed,
            LatencyRecorders recorders,
            boolean eprop) {
        this(inputs, hidden, outputs, seed, recorders, eprop, false);
    }

    /**
     * With {@code markers}, a marker-labelled session: trial windows from {@link #events}, their
     * decisions in {@link #decisions}, and (with {@code eprop}) softmax cross-entropy e-prop with
     * updates only at each window's end.
     */
    EngineFixture(
            int inputs,
            int hidden,
            int outputs,
            long seed,
            LatencyRecorders recorders,
            boolean eprop,
            boolean markers) {
        spec =
                new NetworkSpec(
                        1.0,
                        inputs,
                        null,
                        List.of(new LayerSpec(hidden, true, NeuronSpec.alif())),
                        ReadoutSpec.leaky(outputs));
        params = Initializer.initialise(spec, InitSpec.seeded(seed));
        input = new SampleRing(inputs, 1024);
        labels = new SampleRing(outputs, 1024);
        frames = new FrameRing(outputs, 256);
        latency = recorders == null ? new LatencyRecorders() : recorders;
        clock.nowNs = 1_000_000_000L;
        NetworkDecoder decoder = new NetworkDecoder(spec, params);
        learner =
                eprop
                        ? new EpropLearner(
                                decoder,
                                EpropConfig.builder()
                                        .loss(
                                                markers
                                                        ? ReadoutLoss.SOFTMAX_CROSS_ENTROPY
                                                        : ReadoutLoss.MSE)
                                        .optimizer(OptimizerKind.SGD)
                                        .learningRate(0.01)
                                        .updateIntervalSteps(markers ? 0 : 20)
                                        .build())
                        : null;
        engine =
                new EngineAgent(
                        "test",
                        decoder,
                        learner,
                        input,
                        labels,
                        frames,
                        16,
                        counters,
                        latency,
                        clock,
                        2_000_000_000L,
                        LearningMode.PAUSED,
                        0.01,
                        20,
                        "");
        events = markers ? new TrialEventRing(64) : null;
        decisions = markers ? new DecisionRing(outputs, 16) : null;
        trials = markers ? new TrialWindows(events, decisions) : null;
        if (markers) {
            engine.withTrialWindows(trials);
        }
    }

    EngineFixture() {
        this(8, 32, 2, 7L, null);
    }

    /** A spike-like input row: two channels fire. */
    float[] row(long t) {
        float[] x = new float[spec.inputs()];
        x[(int) (t % spec.inputs())] = 1f;
        x[(int) ((t * 7 + 3) % spec.inputs())] = 1f;
        return x;
    }
}
