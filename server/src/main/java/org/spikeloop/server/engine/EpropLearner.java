package org.spikeloop.server.engine;

import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.FloatEpropLearner;
import org.spikeloop.learn.eprop.ReadoutLoss;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.ParameterNames;

/**
 * The engine's {@link Learner} backed by {@link FloatEpropLearner}: e-prop (Bellec et al. 2020,
 * Methods eqs. (13)–(29)) on layer 0 and the readout of a {@link NetworkDecoder}, updating the
 * kernel's live weights in place on the engine thread. Steps without a label advance the traces but
 * do not learn. The loss is the configuration's: MSE on continuous labels, softmax cross-entropy on
 * the classes of a marker-labelled session (the paper's classification tasks), whose trial windows
 * end with {@link #endTrial}.
 *
 * <p>The learner's configuration is immutable, so a new learning rate or update interval rebuilds
 * it (a control-plane command: pending work is flushed first, then traces and accumulated gradients
 * start afresh).
 *
 * <p>Threading: engine thread only. Allocation: none in {@link #afterStep}; the setters allocate.
 */
public final class EpropLearner implements Learner {
    private final FloatNetwork network;
    private final float[] wIn;
    private final float[] wRec;
    private final float[] wOut;
    private EpropConfig config;
    private FloatEpropLearner learner;
    private long updatesBefore;
    private long guardEventsBefore;

    /**
     * @param base the configuration whose learning rate and interval the setters replace
     * @throws IllegalArgumentException naming the architecture field e-prop cannot learn
     */
    public EpropLearner(NetworkDecoder decoder, EpropConfig base) {
        this.network = decoder.network();
        this.config = base;
        this.learner = new FloatEpropLearner(network, base);
        this.wIn = network.liveParameter(ParameterNames.inputWeights(0));
        this.wRec =
                network.spec().layers().get(0).recurrent()
                        ? network.liveParameter(ParameterNames.recurrentWeights(0))
                        : null;
        this.wOut = network.liveParameter(ParameterNames.READOUT_WEIGHT);
    }

    @Override
    public String name() {
        return "e-prop ("
                + config.optimizer()
                + ", "
                + config.feedback()
                + " feedback"
                + (config.loss() == ReadoutLoss.SOFTMAX_CROSS_ENTROPY
                        ? ", softmax cross-entropy"
                        : "")
                + ")";
    }

    @Override
    public boolean afterStep(float[] input, float[] output, float[] target, boolean hasTarget) {
        final FloatEpropLearner l = learner;
        l.step(input, output, hasTarget ? target : null);
        long updates = l.updatesApplied();
        if (updates != updatesBefore) {
            updatesBefore = updates;
            return true;
        }
        return false;
    }

    @Override
    public void endTrial() {
        learner.endTrial();
    }

    @Override
    public void setLearningRate(double learningRate) {
        rebuild(config.toBuilder().learningRate(learningRate).build());
    }

    @Override
    public void setUpdateIntervalSteps(int steps) {
        rebuild(config.toBuilder().updateIntervalSteps(steps).build());
    }

    private void rebuild(EpropConfig next) {
        learner.flush();
        guardEventsBefore += learner.nonFiniteEvents();
        config = next;
        learner = new FloatEpropLearner(network, next);
        updatesBefore = 0;
    }

    @Override
    public double weightNorm() {
        double sum = sumSquares(wIn) + sumSquares(wOut) + (wRec == null ? 0 : sumSquares(wRec));
        return Math.sqrt(sum);
    }

    private static double sumSquares(float[] w) {
        double s = 0;
        for (float v : w) {
            s += (double) v * v;
        }
        return s;
    }

    @Override
    public long guardEvents() {
        return guardEventsBefore + learner.nonFiniteEvents();
    }

    @Override
    public String lastGuardEvent() {
        long n = guardEvents();
        return n == 0
                ? ""
                : "non-finite update: last good weights restored (" + n + " events so far)";
    }

    @Override
    public void resetTraces() {
        learner.resetTraces();
    }
}
