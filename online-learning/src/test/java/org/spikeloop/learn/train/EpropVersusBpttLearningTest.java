package org.spikeloop.learn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.FeedbackMode;
import org.spikeloop.learn.eprop.FloatEpropLearner;
import org.spikeloop.learn.eprop.OptimizerKind;
import org.spikeloop.learn.eprop.ReadoutLoss;
import org.spikeloop.learn.loss.SpikeCountCrossEntropy;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * Issue 4, "Learning": e-prop ({@link FloatEpropLearner}, float32, symmetric feedback, Adam)
 * against SG-BPTT ({@link Trainer}) on the trainer issue's two tasks, same data, same network size
 * and initial weights, same optimiser (Adam). Both train what e-prop trains (input, recurrent and
 * readout weights and biases; thresholds and reset offsets frozen for BPTT). Budgets and learning
 * rates differ per task and are stated on each test (e-prop, an online approximation of the
 * gradient, gets more passes on pattern generation).
 */
class EpropVersusBpttLearningTest {

    private static final String FREEZE =
            "\"freeze\": [\"layer0.threshold\", \"layer0.reset_offset\"]";

    /**
     * Pattern generation (Bellec et al. 2020, Fig. 2): 100 frozen Poisson inputs at 20 Hz, 100
     * recurrent LIF, a leaky readout, a 1 s sum of four sinusoids. Normalised MSE = MSE / target
     * variance of a final noise-free pass; e-prop's must be within 2× of BPTT's.
     *
     * <p>Budgets (same network, initial weights, data and Adam β/ε): SG-BPTT (exact gradient, one
     * update per sequence, as it needs the whole sequence) 400 epochs at a constant η = 1e−2 → nMSE
     * 0.0021, ~8 s. e-prop (online: its gradient is BPTT's with the path through z_{t−1} cut)
     * updates every 250 steps (4 Adam steps per sequence, which only an online rule can take), 1000
     * epochs at η = 1e−2 decayed by 0.9977 per epoch (to 0.1·η), ~25 s → nMSE 0.0008.
     *
     * <p>Measured while choosing this (one run each; the trajectory is chaotic, so each schedule is
     * one sample): updates every 250 steps, nMSE after 1000 epochs 0.0008–0.0011 and after 400
     * epochs 0.0018–0.0025 over decay 0.9976/0.9977/0.9978 and η 5e−3; updates at sequence end
     * only, 1000 epochs, η 1e−2: 0.0021–0.0035 for some decays but 0.0097 and 0.0158 for others
     * (unstable excursions), and 0.0080 at 400 epochs without decay (3.8×, the earlier result). For
     * the record, BPTT given 1000 epochs reaches 0.0008, i.e. e-prop matches BPTT at equal epochs
     * in this setting.
     *
     * <p>The schedule was chosen on the first data/initial-weights seed pair; the test runs five,
     * so that it holds for the task and not for one trajectory (2026-12-07: e-prop 0.00060–0.00126,
     * SG-BPTT 0.00128–0.00208, e-prop at most 0.78 × BPTT).
     */
    @ParameterizedTest(name = "data seed {0}, initial weights seed {1}")
    @CsvSource({"7, 3", "11, 5", "13, 8", "17, 9", "19, 12"})
    void shouldGeneratePatternWithEpropWithinTwiceBpttNormalisedMse(long dataSeed, long initSeed) {
        SplittableRandom rng = new SplittableRandom(dataSeed);
        int steps = 1000;
        int inputs = 100;
        int epochs = 400;
        int epropEpochs = 1000;
        double epropDecayPerEpoch = 0.9977;
        double[] x = LearningTasks.poisson(steps, inputs, 20.0, rng);
        double[] y = LearningTasks.sumOfSines(steps, rng);
        Map<String, Tensor> t = new HashMap<>();
        t.put("y", new Tensor(new int[] {1, steps, 1}, y));
        Batch data = new Batch(x, 1, steps, inputs, t);
        JobConfig cfg =
                JobConfig.parse(
                        "{\"network\": {\"inputs\": 100, \"layers\": [{\"size\": 100,"
                                + " \"recurrent\": true, \"neuron\": {\"model\": \"lif\","
                                + " \"surrogate\": {\"name\": \"fast_sigmoid\", \"scale\": 5,"
                                + " \"gain\": 1}}}], \"readout\": {\"type\": \"leaky\", \"size\": 1}},"
                                + " \"init\": {\"seed\": "
                                + initSeed
                                + ", \"inputGain\": 3.0, \"readoutGain\": 1.0},"
                                + " \"loss\": {\"name\": \"readout_mse\"},"
                                + " \"options\": {\"threads\": 1},"
                                + " \"training\": {\"learningRate\": 0.01, \"epochs\": "
                                + epochs
                                + ", \"batchSize\": 1, "
                                + FREEZE
                                + "}}");
        NetworkParams initial = Initializer.initialise(cfg.spec(), cfg.init());
        double variance = variance(y);

        NetworkParams p = initial.copy();
        double bpttNmse;
        try (Trainer trainer = new Trainer(cfg)) {
            trainer.train(p, data, (i, n, e, l, ns) -> {});
            bpttNmse = trainer.engine().compute(p, data, trainer.terms()).loss() / variance;
        }

        FloatNetwork net = new FloatNetwork(cfg.spec(), initial);
        EpropConfig ec =
                EpropConfig.builder()
                        .loss(ReadoutLoss.MSE)
                        .feedback(FeedbackMode.SYMMETRIC)
                        .optimizer(OptimizerKind.ADAM)
                        .learningRate(0.01)
                        .updateIntervalSteps(250)
                        .windowSteps(16)
                        .build();
        FloatEpropLearner learner = new FloatEpropLearner(net, ec);
        float[][] frames = frames(x, steps, inputs, 0);
        float[] out = new float[1];
        float[] target = new float[1];
        for (int e = 0; e < epropEpochs; e++) {
            net.reset();
            learner.resetTraces();
            for (int s = 0; s < steps; s++) {
                net.step(frames[s], out);
                target[0] = (float) y[s];
                learner.step(frames[s], out, target);
            }
            learner.endTrial();
            learner.learningRateScale(Math.pow(epropDecayPerEpoch, e + 1));
        }
        learner.flush();
        net.reset();
        double mse = 0;
        for (int s = 0; s < steps; s++) {
            net.step(frames[s], out);
            mse += (out[0] - y[s]) * (out[0] - y[s]) / steps;
        }
        double epropNmse = mse / variance;
        System.out.printf(
                "pattern generation: nMSE e-prop %.5f (%d epochs), SG-BPTT %.5f (%d epochs)%n",
                epropNmse, epropEpochs, bpttNmse, epochs);
        assertThat(bpttNmse).isLessThan(0.05);
        assertThat(epropNmse).isLessThanOrEqualTo(2.0 * bpttNmse);
    }

    /**
     * 10 frozen Poisson patterns (40 channels, 100 ms, 40 Hz), 20 jittered (±2 ms) training and 10
     * held-out copies per class; 40 → 64 recurrent LIF. SG-BPTT: spike-count readout and the
     * spike-count cross-entropy (issue 3 (b)). e-prop: a leaky readout with the softmax
     * cross-entropy at every step (its classification signal, Methods eq. (27)); the class is the
     * arg-max of the readout summed over the trial. Held-out accuracies within 5 points. Adam η =
     * 1e−2 for BPTT (mean loss per batch of 20), 1e−3 for e-prop (one update per trial; with 1e−2
     * e-prop reached 55 %).
     */
    @Test
    void shouldClassifyPatternsWithEpropWithinFivePointsOfBptt() {
        SplittableRandom rng = new SplittableRandom(11);
        int classes = 10;
        int steps = 100;
        int channels = 40;
        int epochs = 30;
        double[][] patterns = new double[classes][];
        for (int c = 0; c < classes; c++) {
            patterns[c] = LearningTasks.poisson(steps, channels, 40.0, rng);
        }
        Batch train = LearningTasks.jitteredPatterns(patterns, steps, channels, 20, 2, rng);
        Batch test = LearningTasks.jitteredPatterns(patterns, steps, channels, 10, 2, rng);
        String layer =
                "\"inputs\": 40, \"layers\": [{\"size\": 64, \"recurrent\": true, \"neuron\":"
                        + " {\"surrogate\": {\"name\": \"fast_sigmoid\", \"scale\": 5, \"gain\":"
                        + " 1}}}]";
        JobConfig bptt =
                JobConfig.parse(
                        "{\"network\": {"
                                + layer
                                + ", \"readout\": {\"type\": \"spike_count\", \"size\": 10,"
                                + " \"neuron\": {\"surrogate\": {\"name\": \"fast_sigmoid\","
                                + " \"scale\": 5, \"gain\": 1}}}},"
                                + " \"init\": {\"seed\": 5, \"inputGain\": 3.0, \"readoutGain\": 3.0},"
                                + " \"loss\": {\"name\": \"spike_count_ce\"},"
                                + " \"options\": {\"threads\": 2},"
                                + " \"training\": {\"learningRate\": 0.01, \"epochs\": "
                                + epochs
                                + ", \"batchSize\": 20, \"seed\": 2, "
                                + FREEZE
                                + "}}");
        double bpttAcc;
        try (Trainer trainer = new Trainer(bptt)) {
            NetworkParams p = Initializer.initialise(bptt.spec(), bptt.init());
            trainer.train(p, train, (i, n, e, l, ns) -> {});
            trainer.engine().compute(p, test, trainer.terms());
            int readout = trainer.engine().network().populations() - 1;
            int[] pred = SpikeCountCrossEntropy.predict(trainer.engine(), readout, classes, 0, -1);
            bpttAcc = accuracy(pred, test.target("label").data());
        }

        JobConfig eprop =
                JobConfig.parse(
                        "{\"network\": {"
                                + layer
                                + ", \"readout\": {\"type\": \"leaky\", \"size\": 10}},"
                                + " \"init\": {\"seed\": 5, \"inputGain\": 3.0, \"readoutGain\": 3.0},"
                                + " \"loss\": {\"name\": \"readout_mse\"}}");
        FloatNetwork net =
                new FloatNetwork(eprop.spec(), Initializer.initialise(eprop.spec(), eprop.init()));
        FloatEpropLearner learner =
                new FloatEpropLearner(
                        net,
                        EpropConfig.builder()
                                .loss(ReadoutLoss.SOFTMAX_CROSS_ENTROPY)
                                .feedback(FeedbackMode.SYMMETRIC)
                                .optimizer(OptimizerKind.ADAM)
                                .learningRate(0.001)
                                .updateIntervalSteps(0)
                                .windowSteps(16)
                                .build());
        double[] trainLabel = train.target("label").data();
        float[] out = new float[classes];
        float[] oneHot = new float[classes];
        for (int e = 0; e < epochs; e++) {
            int[] order = Trainer.shuffled(train.size(), 2 + e);
            for (int b : order) {
                float[][] frames = frames(train.x(), steps, channels, b);
                java.util.Arrays.fill(oneHot, 0f);
                oneHot[(int) trainLabel[b]] = 1f;
                net.reset();
                learner.resetTraces();
                for (int s = 0; s < steps; s++) {
                    net.step(frames[s], out);
                    learner.step(frames[s], out, oneHot);
                }
                learner.endTrial();
            }
        }
        learner.flush();
        int[] pred = new int[test.size()];
        double[] sum = new double[classes];
        for (int b = 0; b < test.size(); b++) {
            float[][] frames = frames(test.x(), steps, channels, b);
            java.util.Arrays.fill(sum, 0.0);
            net.reset();
            for (int s = 0; s < steps; s++) {
                net.step(frames[s], out);
                for (int k = 0; k < classes; k++) {
                    sum[k] += out[k];
                }
            }
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (sum[k] > sum[best]) {
                    best = k;
                }
            }
            pred[b] = best;
        }
        double epropAcc = accuracy(pred, test.target("label").data());
        System.out.printf(
                "10-class patterns, %d epochs: held-out accuracy e-prop %.3f, SG-BPTT %.3f%n",
                epochs, epropAcc, bpttAcc);
        assertThat(bpttAcc).isGreaterThanOrEqualTo(0.9);
        assertThat(epropAcc).isGreaterThanOrEqualTo(bpttAcc - 0.05);
    }

    private static double variance(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean) / y.length;
        }
        return var;
    }

    private static double accuracy(int[] pred, double[] label) {
        int correct = 0;
        for (int b = 0; b < pred.length; b++) {
            if (pred[b] == (int) label[b]) {
                correct++;
            }
        }
        return correct / (double) pred.length;
    }

    /** Sample {@code b} of a [B, T, C] array as float32 frames [T][C]. */
    private static float[][] frames(double[] x, int steps, int channels, int b) {
        float[][] f = new float[steps][channels];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < channels; i++) {
                f[s][i] = (float) x[(b * steps + s) * channels + i];
            }
        }
        return f;
    }
}
