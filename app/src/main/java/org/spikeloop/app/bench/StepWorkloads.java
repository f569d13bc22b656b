package org.spikeloop.app.bench;

import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.FloatEpropLearner;
import org.spikeloop.learn.eprop.OptimizerKind;
import org.spikeloop.snn.kernel.FloatNetwork;

/** The workloads {@code bench step} can time. */
public final class StepWorkloads {
    private StepWorkloads() {}

    /** Inference only: {@link FloatNetwork#step}. */
    public static StepWorkload inference(FloatNetwork network) {
        return new Inference(network);
    }

    /**
     * Inference plus the e-prop learner's per-step work ({@link FloatEpropLearner}: traces, ψ,
     * learning signals, windowed gradient accumulation and, every 1000 steps, the SGD update).
     *
     * @param windowSteps the learner's window W ({@link EpropConfig#windowSteps()}; 0 = chosen from
     *     the network size)
     */
    public static StepWorkload eprop(FloatNetwork network, int windowSteps) {
        EpropConfig config =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .learningRate(1e-4)
                        .updateIntervalSteps(1000)
                        .windowSteps(windowSteps)
                        .build();
        return new Eprop(network, new FloatEpropLearner(network, config));
    }

    private static final class Eprop implements StepWorkload {
        private final FloatNetwork network;
        private final FloatEpropLearner learner;

        Eprop(FloatNetwork network, FloatEpropLearner learner) {
            this.network = network;
            this.learner = learner;
        }

        @Override
        public void step(float[] x, float[] target, float[] out) {
            network.step(x, out);
            learner.step(x, out, target);
        }

        @Override
        public int spikesInLastStep() {
            return network.layer(0).spikeCount();
        }

        @Override
        public int epropWindowSteps() {
            return learner.windowSteps();
        }

        @Override
        public long epropStateBytes() {
            return learner.stateBytes();
        }
    }

    private static final class Inference implements StepWorkload {
        private final FloatNetwork network;

        Inference(FloatNetwork network) {
            this.network = network;
        }

        @Override
        public void step(float[] x, float[] target, float[] out) {
            network.step(x, out);
        }

        @Override
        public int spikesInLastStep() {
            return network.layer(0).spikeCount();
        }
    }
}
