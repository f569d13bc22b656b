package org.spikeloop.learn.eprop;

import static org.spikeloop.snn.params.ParameterNames.*;

import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * The float32 hot-path e-prop learner: runs right after each {@link FloatNetwork#step} on the
 * engine thread and updates the network's live weights in place. Same mathematics as {@link
 * EpropReference} (Bellec et al. 2020, Methods eqs. (13)–(29), (38); see there), organised so that
 * the per-synapse work is a few multiply-adds per synapse per <em>window</em> of W steps instead of
 * per step. This class is the facade: it checks the architecture, builds the parts below and runs
 * them in order; each part's javadoc states its equations.
 *
 * <table>
 *   <caption>Who does what</caption>
 *   <tr><th>part</th><th>role</th></tr>
 *   <tr><td>{@link WindowBuffers}</td><td>records each step's p_t, ε_i, ψ_t, L_t, R_t into the
 *       window that is filling (eqs. (14), (17), (24))</td></tr>
 *   <tr><td>{@link ReadoutLearner}</td><td>error, loss, learning signal L = B·err, the readout's
 *       gradients and update (eqs. (26)–(29))</td></tr>
 *   <tr><td>{@link FiringRateRegularizer}</td><td>R = λ(f̂ − f*) (eq. (38))</td></tr>
 *   <tr><td>{@link WindowSchedule}</td><td>when windows close, when updates fall due, and each
 *       step's share of the queued work</td></tr>
 *   <tr><td>{@link WindowCoefficients}</td><td>the backward recursions over a closed window (the
 *       windowed factorisation)</td></tr>
 *   <tr><td>{@link SynapseMerge}</td><td>g, ē, ε^a per synapse, advanced a whole window per row
 *       </td></tr>
 *   <tr><td>{@link SynapticUpdate}, {@link WeightGuard}</td><td>the rows' SGD/Adam step ({@link
 *       org.spikeloop.learn.optim.AdamKernel}) and its guards: clipped |Δw|, non-finite restore,
 *       group norm</td></tr>
 * </table>
 *
 * <p>The window W is the configured {@code windowSteps} or, for 0, {@link #autoWindowSteps} of the
 * network size. Updates fall due every {@code updateIntervalSteps} learning steps or at {@link
 * #endTrial()}: the readout immediately, each synaptic row as its merge completes (within about 2W
 * steps).
 *
 * <p>Guards: learning rates bounded by the config; per-element |Δw| clipped; group norm limited; a
 * row whose gradient or new weights are non-finite aborts the update, restores every row already
 * changed by it from a snapshot (the last good weights), zeroes traces and gradients and counts the
 * event ({@link #nonFiniteEvents()}).
 *
 * <p>Threading: single owner (the engine thread that steps the network). Allocation: none in {@link
 * #step}, {@link #endTrial}, {@link #flush}, {@link #resetTraces}; the constructor and the
 * gradient/export accessors allocate. Units: dt from the spec (ms), rates in Hz.
 */
public final class FloatEpropLearner {
    private final LayerState layer;
    private final int h;
    private final int nIn;
    private final int pre;
    private final int outputs;
    private final int window;
    private final boolean recurrent;
    private final boolean alif;
    private final boolean adam;
    private final boolean regularise;
    private final float[] signal;

    private final WindowBuffers buffers;
    private final ReadoutLearner readout;
    private final FiringRateRegularizer regularizer; // null when λ = 0
    private final SynapseMerge merge;
    private final WeightGuard guard;
    private final SynapticUpdate update;
    private final WindowSchedule schedule;

    /**
     * @param network the float32 network this learner adapts (its layer 0 and readout arrays are
     *     updated in place)
     * @param config the learner configuration
     * @throws IllegalArgumentException naming an unsupported architecture field, or feedback GIVEN
     *     / a NEST compatibility mode (float64 reference only)
     */
    public FloatEpropLearner(FloatNetwork network, EpropConfig config) {
        NetworkSpec spec = network.spec();
        EpropArchitecture.require(spec, true);
        if (config.feedback() == FeedbackMode.GIVEN) {
            throw new IllegalArgumentException(
                    "feedback: GIVEN (a caller-supplied B) is supported by EpropReference only");
        }
        if (config.nestCompatibility() != NestCompatibility.NONE) {
            throw new IllegalArgumentException(
                    "nestCompatibility: "
                            + config.nestCompatibility()
                            + " is supported by EpropReference only (the NEST cross-check)");
        }
        LayerSpec ls = spec.layers().get(0);
        NeuronSpec n = ls.neuron();
        layer = network.layer(0);
        h = ls.size();
        nIn = spec.inputs();
        recurrent = ls.recurrent();
        pre = nIn + 1 + (recurrent ? h : 0);
        outputs = spec.outputs();
        alif = n.model() == NeuronModel.ALIF;
        window =
                config.windowSteps() == EpropConfig.AUTO_WINDOW
                        ? autoWindowSteps(pre, h, alif)
                        : config.windowSteps();
        adam = config.optimizer() == OptimizerKind.ADAM;
        regularise = config.rateRegularization() > 0.0;
        double dt = spec.dtMs();
        float alpha = (float) n.alpha(dt);
        float rho = (float) n.rho(dt);
        float beta = alif ? (float) n.adaptBeta() : 0f;
        double k = spec.readout().kappa(dt);
        float kappa = (float) k;
        float filterGain = config.nestReadoutScaling() ? 1f : (float) (1.0 - k);
        float readoutScale = config.nestReadoutScaling() ? (float) (1.0 / (1.0 - k)) : 1f;

        SynapticRows rows =
                new SynapticRows(
                        network.liveParameter(inputWeights(0)),
                        recurrent ? network.liveParameter(recurrentWeights(0)) : null,
                        network.liveParameter(bias(0)),
                        nIn,
                        h);
        int slots = WindowSchedule.SLOTS;
        buffers =
                new WindowBuffers(
                        slots, window, nIn, h, recurrent, regularise, alpha, kappa, n.surrogate());
        readout =
                new ReadoutLearner(
                        network.liveParameter(READOUT_WEIGHT),
                        network.liveParameter(READOUT_BIAS),
                        randomFeedback(config, outputs, h),
                        h,
                        kappa,
                        filterGain,
                        readoutScale,
                        config);
        regularizer =
                regularise
                        ? new FiringRateRegularizer(
                                h,
                                dt,
                                config.rateTauMs(),
                                config.rateRegularization(),
                                config.targetRateHz())
                        : null;
        WindowCoefficients coefficients =
                new WindowCoefficients(
                        slots, window, h, alif, regularise, alpha, rho, beta, kappa, filterGain);
        merge = new SynapseMerge(pre, h, alif);
        guard = new WeightGuard(rows, config.maxWeightNorm());
        update = new SynapticUpdate(rows, guard, config, slots);
        schedule =
                new WindowSchedule(
                        window,
                        pre,
                        h,
                        config.updateIntervalSteps(),
                        new Pipeline(buffers, coefficients, merge, update, readout));
        signal = new float[h];
    }

    /** B [O][H] as float32 for RANDOM feedback, or null (symmetric: B = W_outᵀ). */
    private static float[] randomFeedback(EpropConfig config, int outputs, int h) {
        if (config.feedback() != FeedbackMode.RANDOM) {
            return null;
        }
        double[] b = FeedbackMatrix.random(outputs, h, config.feedbackSeed());
        float[] r = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (float) b[i];
        }
        return r;
    }

    /**
     * One learning step, called right after {@code network.step(x, y)} with the same arrays.
     *
     * @param x the input frame x_t the network just stepped on (not modified)
     * @param y the readout y_t the network just produced (not modified)
     * @param target y*_t (length outputs, finite — the {@link LabelGate} guarantees it), or null
     *     when this step must not learn (no label, stalled labels, outside a trial window); traces
     *     still advance
     */
    public void step(float[] x, float[] y, float[] target) {
        final WindowSchedule s = schedule;
        final WindowBuffers b = buffers;
        final int slot = s.fillingSlot();
        final int q = s.position();
        b.recordPresynaptic(slot, q, x, layer);
        b.recordPseudoDerivatives(slot, q, layer);
        readout.filterTraces(layer);
        if (regularizer != null) {
            regularizer.observe(layer);
        }
        boolean learn = target != null && readout.learningSignal(y, target, signal);
        b.recordSignals(slot, q, learn ? signal : null, regularizer);
        s.stepRecorded(learn);
    }

    /**
     * The window W for {@link EpropConfig#AUTO_WINDOW}: every synapse's g and ē (and ε^a for ALIF)
     * are read and written once per window, 16 (LIF) or 24 (ALIF) bytes, so a step's share is
     * bytes·P·H/W; W is the smallest that keeps it within 512 KiB, clamped to [16, 64] (below 16
     * the O(H) per-step overhead dominates; above 64 the window buffers outgrow the caches and
     * updates land later).
     *
     * @param presynaptic P = inputs + 1 (bias) + H (if recurrent)
     * @param neurons H
     * @param alif whether ε^a is carried per synapse
     */
    public static int autoWindowSteps(int presynaptic, int neurons, boolean alif) {
        return WindowSchedule.autoWindowSteps(presynaptic, neurons, alif);
    }

    /** The window W in steps (the configured one, or the size-derived one for AUTO_WINDOW). */
    public int windowSteps() {
        return window;
    }

    /**
     * Ends a trial: closes the current window and applies the update accumulated since the last one
     * (the synaptic rows over the next W steps, or at once on {@link #flush()}). Allocation-free.
     */
    public void endTrial() {
        schedule.endTrial();
    }

    /** Completes every pending window merge and due update now (synchronously). Allocation-free. */
    public void flush() {
        schedule.flush();
    }

    /**
     * Zeroes every eligibility vector and trace after completing pending work: the next step starts
     * fresh (after an input gap — never learn across it — or at a trial start with a state reset).
     * Accumulated gradients are kept. Allocation-free; a full pass over the per-synapse state.
     */
    public void resetTraces() {
        flush();
        merge.resetTraces();
        buffers.resetTraces(schedule.fillingSlot());
        readout.resetTraces();
    }

    /**
     * Scales every group's learning rate by {@code scale} from the next update on (a learning-rate
     * schedule, e.g. decay toward convergence); an update already started (its rows merge over the
     * next window) keeps the scale it started with. Adam moments are kept. Allocation-free.
     *
     * @param scale in [0, 1] (the configured rates are the maximum, so the maxLearningRate guard
     *     still holds)
     * @throws IllegalArgumentException naming {@code scale} when outside [0, 1] or not finite
     */
    public void learningRateScale(double scale) {
        if (!(scale >= 0.0 && scale <= 1.0)) {
            throw new IllegalArgumentException("scale must be in [0, 1], got " + scale);
        }
        update.learningRateScale(scale);
    }

    /**
     * Adds per-class offsets δ to the live readout bias: the calibration step of a classification
     * session (class priors, {@link org.spikeloop.learn.trials.ClassBiasCalibration}). With the
     * leaky readout y_t = κ·y_{t−1} + (1 − κ)·(W·z_t + b), a bias b + δ moves the settled readout,
     * and so a trial window's average, by δ; the learner's readout gradients and Adam moments are
     * kept (δ is a shift of the operating point, not a learning step). Allocation-free.
     *
     * @param delta δ, one finite value per output (not modified)
     * @throws IllegalArgumentException for a wrong length or a non-finite δ (the bias unchanged)
     */
    public void shiftReadoutBias(double[] delta) {
        readout.shiftBias(delta);
    }

    /** The current learning-rate scale (1 unless {@link #learningRateScale(double)} changed it). */
    public double learningRateScale() {
        return update.learningRateScale();
    }

    // ---- read-outs (control plane) ----

    /**
     * The accumulated, not yet applied gradient of {@code name} in ParameterNames layout
     * (row-major, untransposed), after {@link #flush()}. Allocates.
     */
    public double[] gradient(String name) {
        flush();
        if (name.equals(inputWeights(0))) {
            return untranspose(0, nIn);
        }
        if (name.equals(bias(0))) {
            return untranspose(nIn, 1);
        }
        if (recurrent && name.equals(recurrentWeights(0))) {
            double[] r = untranspose(nIn + 1, h);
            for (int j = 0; j < h; j++) {
                r[j * h + j] = 0.0;
            }
            return r;
        }
        if (name.equals(READOUT_WEIGHT)) {
            return readout.weightGradient();
        }
        if (name.equals(READOUT_BIAS)) {
            return readout.biasGradient();
        }
        throw new IllegalArgumentException("e-prop learns no parameter named " + name);
    }

    /** Rows [from, from+width) of g as an untransposed [H, width] array. */
    private double[] untranspose(int from, int width) {
        float[] g = merge.gradient();
        double[] r = new double[h * width];
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < h; j++) {
                r[j * width + i] = g[(from + i) * h + j];
            }
        }
        return r;
    }

    /** Loss summed over learning steps since construction or {@link #resetLoss()}. */
    public double loss() {
        return readout.loss();
    }

    /** Learning steps since construction or {@link #resetLoss()}. */
    public long learnSteps() {
        return readout.learnSteps();
    }

    public void resetLoss() {
        readout.resetLoss();
    }

    /** Non-finite events (each restored the last good weights and was not applied). */
    public long nonFiniteEvents() {
        return readout.nonFiniteEvents() + guard.nonFiniteEvents();
    }

    /**
     * Windows whose queued work had to be completed in a single step because the ring of 4 window
     * buffers was full (several windows shorter than W in a row, e.g. trial ends every few steps):
     * each such step pays an O(P·H) pass.
     */
    public long forcedDrains() {
        return schedule.forcedDrains();
    }

    /** Updates applied to the synaptic weights. */
    public long updatesApplied() {
        return update.updatesApplied();
    }

    /** Number of synapses learned (input, bias and recurrent rows × H). */
    public long synapses() {
        return (long) pre * h;
    }

    /** Bytes of learner state per synapse (float32 per-synapse arrays). */
    public int bytesPerSynapse() {
        int arrays = 3 + (alif ? 1 : 0) + (adam ? 2 : 0); // g, ē, snapshot, ε^a, Adam m/s
        return 4 * arrays;
    }

    /** Total bytes of learner state (per-synapse arrays plus window buffers and vectors). */
    public long stateBytes() {
        int slots = WindowSchedule.SLOTS;
        long perSynapse = (long) bytesPerSynapse() * synapses();
        long perWindowSlot =
                (long) pre * window
                        + (long) window * h * (4 + (regularise ? 1 : 0) + (alif ? 1 : 0))
                        + (long) h * (6 + (alif ? 2 : 0))
                        + pre;
        long windows = 4L * slots * perWindowSlot + 8L * slots * pre * buffers.maskWords();
        long vectors = 4L * (5L * h + 2L * h * outputs + pre + 3L * outputs);
        return perSynapse + windows + vectors;
    }

    /**
     * The schedule's {@link WindowSchedule.Work}: connects a closed window to the parts that do its
     * work (recording, coefficients, merge, update, readout).
     */
    private static final class Pipeline implements WindowSchedule.Work {
        private final WindowBuffers buffers;
        private final WindowCoefficients coefficients;
        private final SynapseMerge merge;
        private final SynapticUpdate update;
        private final ReadoutLearner readout;

        Pipeline(
                WindowBuffers buffers,
                WindowCoefficients coefficients,
                SynapseMerge merge,
                SynapticUpdate update,
                ReadoutLearner readout) {
            this.buffers = buffers;
            this.coefficients = coefficients;
            this.merge = merge;
            this.update = update;
            this.readout = readout;
        }

        @Override
        public void closed(int slot, int steps, boolean withUpdate, int next) {
            buffers.close(slot, steps, next);
            if (withUpdate) {
                update.due(slot);
                readout.update(update.scale(slot), update.c1(slot), update.c2(slot));
            }
        }

        @Override
        public void coefficients(int slot, int steps, int from, int to) {
            coefficients.compute(slot, steps, from, to, buffers);
        }

        @Override
        public void beginUpdate(int slot) {
            update.begin(slot);
        }

        @Override
        public void rows(int slot, int steps, boolean withUpdate, int from, int to) {
            final float[] g = merge.gradient();
            for (int i = from; i < to; i++) {
                if (steps > 0) {
                    merge.mergeRow(slot, i, buffers, coefficients);
                }
                if (withUpdate) {
                    update.applyRow(i, g);
                }
            }
        }

        @Override
        public boolean finishUpdate(int slot) {
            if (update.finish()) {
                return true;
            }
            // Traces may hold the non-finite values that caused it: start clean.
            merge.clear();
            buffers.clearPresynapticTraces();
            return false;
        }

        @Override
        public void discard(int slot) {
            buffers.discard(slot);
        }
    }
}
