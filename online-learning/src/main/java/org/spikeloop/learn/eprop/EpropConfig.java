package org.spikeloop.learn.eprop;

/**
 * Everything that configures one e-prop learner, validated once on construction (every error names
 * its field). Build with {@link #builder()}; the defaults are listed on the builder's fields.
 *
 * <p>Units: learning rates are per unit of accumulated gradient (the gradient is a sum over steps,
 * not a mean); {@code targetRateHz} in Hz; {@code rateTauMs} in ms; the weight guards in weight
 * units.
 *
 * @param loss regression (MSE) or classification (softmax cross-entropy)
 * @param feedback symmetric (B = W_outᵀ) or fixed random feedback
 * @param feedbackSeed seed of the random feedback matrix (RANDOM only)
 * @param optimizer SGD or Adam
 * @param lrInput learning rate of {@code layer0.w_in}
 * @param lrRecurrent learning rate of {@code layer0.w_rec}
 * @param lrBias learning rate of {@code layer0.bias}
 * @param lrReadout learning rate of {@code readout.w_out}
 * @param lrReadoutBias learning rate of {@code readout.bias}
 * @param adamBeta1 Adam β₁ in [0, 1)
 * @param adamBeta2 Adam β₂ in [0, 1)
 * @param adamEpsilon Adam ε &gt; 0
 * @param updateIntervalSteps apply the accumulated update every N learning steps (&ge; 1), or 0 to
 *     apply only at trial end ({@code endTrial})
 * @param rateRegularization λ_reg &ge; 0 of the firing-rate regulariser (0 = off)
 * @param targetRateHz the regulariser's target rate f* (Hz, &ge; 0)
 * @param rateTauMs time constant of the running firing-rate estimate the regulariser uses (ms)
 * @param maxLearningRate guard: every learning rate must be &le; this (rejected at construction)
 * @param maxWeightChange guard: each applied |Δw| is clipped to this (&gt; 0; +∞ = off)
 * @param maxWeightNorm guard: a parameter group whose Frobenius norm exceeds this after an update
 *     is scaled back onto the sphere (&gt; 0; +∞ = off)
 * @param windowSteps the float learner's window W: per-synapse work is done once per W steps as a
 *     rank-W product spread over the next window (1..256; 1 = per-step per-synapse updates; 0 =
 *     {@link #AUTO_WINDOW}, the default: chosen from the network size by {@code
 *     FloatEpropLearner.autoWindowSteps} so that a step's share of the per-synapse traffic stays
 *     near a fixed budget)
 * @param nestReadoutScaling NEST-compatibility: read the readout as ŷ = y/(1 − κ) (NEST's leaky
 *     readout y_t = κ·y_{t−1} + W_out·z has no (1 − κ) factor) and drop the (1 − κ) from every κ
 *     filter; default false (Spikeloop's readout contract). Not covered by the NEST cross-check
 *     (which runs NEST's readout with {@code regular_spike_arrival = false}, i.e. Spikeloop's
 *     readout contract); see docs/eprop.md
 * @param nestCompatibility NONE (default) or BSSHSLM_2020: reproduce NEST 3.10's {@code
 *     eprop_iaf_bsshslm_2020} where its conventions differ from Spikeloop's (the firing-rate
 *     regulariser in its per-update-interval form, see {@link NestCompatibility}); requires {@code
 *     updateIntervalSteps = 0}
 */
public record EpropConfig(
        ReadoutLoss loss,
        FeedbackMode feedback,
        long feedbackSeed,
        OptimizerKind optimizer,
        double lrInput,
        double lrRecurrent,
        double lrBias,
        double lrReadout,
        double lrReadoutBias,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        int updateIntervalSteps,
        double rateRegularization,
        double targetRateHz,
        double rateTauMs,
        double maxLearningRate,
        double maxWeightChange,
        double maxWeightNorm,
        int windowSteps,
        boolean nestReadoutScaling,
        NestCompatibility nestCompatibility) {

    /** {@code windowSteps} value that lets the float learner choose W from the network size. */
    public static final int AUTO_WINDOW = 0;

    public EpropConfig {
        present("loss", loss);
        present("nestCompatibility", nestCompatibility);
        if (nestCompatibility == NestCompatibility.BSSHSLM_2020 && updateIntervalSteps != 0) {
            throw new IllegalArgumentException(
                    "updateIntervalSteps must be 0 (update at trial end, NEST's"
                            + " eprop_update_interval = one sequence) when nestCompatibility ="
                            + " BSSHSLM_2020, got "
                            + updateIntervalSteps);
        }
        present("feedback", feedback);
        present("optimizer", optimizer);
        positiveFinite("maxLearningRate", maxLearningRate);
        learningRate("lrInput", lrInput, maxLearningRate);
        learningRate("lrRecurrent", lrRecurrent, maxLearningRate);
        learningRate("lrBias", lrBias, maxLearningRate);
        learningRate("lrReadout", lrReadout, maxLearningRate);
        learningRate("lrReadoutBias", lrReadoutBias, maxLearningRate);
        unitInterval("adamBeta1", adamBeta1);
        unitInterval("adamBeta2", adamBeta2);
        positiveFinite("adamEpsilon", adamEpsilon);
        if (updateIntervalSteps < 0) {
            throw new IllegalArgumentException(
                    "updateIntervalSteps must be >= 0 (0 = at trial end), got "
                            + updateIntervalSteps);
        }
        nonNegativeFinite("rateRegularization", rateRegularization);
        nonNegativeFinite("targetRateHz", targetRateHz);
        positiveFinite("rateTauMs", rateTauMs);
        if (!(maxWeightChange > 0.0)) {
            throw new IllegalArgumentException(
                    "maxWeightChange must be > 0 (+Infinity = off), got " + maxWeightChange);
        }
        if (!(maxWeightNorm > 0.0)) {
            throw new IllegalArgumentException(
                    "maxWeightNorm must be > 0 (+Infinity = off), got " + maxWeightNorm);
        }
        if (windowSteps < AUTO_WINDOW || windowSteps > 256) {
            throw new IllegalArgumentException(
                    "windowSteps must be in [1, 256] or 0 (auto), got " + windowSteps);
        }
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.loss = loss;
        b.feedback = feedback;
        b.feedbackSeed = feedbackSeed;
        b.optimizer = optimizer;
        b.lrInput = lrInput;
        b.lrRecurrent = lrRecurrent;
        b.lrBias = lrBias;
        b.lrReadout = lrReadout;
        b.lrReadoutBias = lrReadoutBias;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEpsilon = adamEpsilon;
        b.updateIntervalSteps = updateIntervalSteps;
        b.rateRegularization = rateRegularization;
        b.targetRateHz = targetRateHz;
        b.rateTauMs = rateTauMs;
        b.maxLearningRate = maxLearningRate;
        b.maxWeightChange = maxWeightChange;
        b.maxWeightNorm = maxWeightNorm;
        b.windowSteps = windowSteps;
        b.nestReadoutScaling = nestReadoutScaling;
        b.nestCompatibility = nestCompatibility;
        return b;
    }

    private static void present(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
    }

    private static void positiveFinite(String field, double v) {
        if (!(v > 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + v);
        }
    }

    private static void nonNegativeFinite(String field, double v) {
        if (!(v >= 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0, got " + v);
        }
    }

    private static void unitInterval(String field, double v) {
        if (!(v >= 0.0 && v < 1.0)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + v);
        }
    }

    private static void learningRate(String field, double v, double max) {
        nonNegativeFinite(field, v);
        if (v > max) {
            throw new IllegalArgumentException(
                    field + " = " + v + " exceeds the guard maxLearningRate = " + max);
        }
    }

    /** Mutable builder; {@link #build()} validates. Defaults: see the field initialisers. */
    public static final class Builder {
        private ReadoutLoss loss = ReadoutLoss.MSE;
        private FeedbackMode feedback = FeedbackMode.SYMMETRIC;
        private long feedbackSeed = 1L;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private double lrInput = 1e-3;
        private double lrRecurrent = 1e-3;
        private double lrBias = 1e-3;
        private double lrReadout = 1e-3;
        private double lrReadoutBias = 1e-3;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private int updateIntervalSteps = 0;
        private double rateRegularization = 0.0;
        private double targetRateHz = 10.0;
        private double rateTauMs = 1000.0;
        private double maxLearningRate = 0.1;
        private double maxWeightChange = Double.POSITIVE_INFINITY;
        private double maxWeightNorm = Double.POSITIVE_INFINITY;
        private int windowSteps = AUTO_WINDOW;
        private boolean nestReadoutScaling = false;
        private NestCompatibility nestCompatibility = NestCompatibility.NONE;

        private Builder() {}

        public Builder loss(ReadoutLoss v) {
            loss = v;
            return this;
        }

        public Builder feedback(FeedbackMode v) {
            feedback = v;
            return this;
        }

        public Builder feedbackSeed(long v) {
            feedbackSeed = v;
            return this;
        }

        public Builder optimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        /** Sets all five learning rates to {@code v}. */
        public Builder learningRate(double v) {
            lrInput = v;
            lrRecurrent = v;
            lrBias = v;
            lrReadout = v;
            lrReadoutBias = v;
            return this;
        }

        public Builder lrInput(double v) {
            lrInput = v;
            return this;
        }

        public Builder lrRecurrent(double v) {
            lrRecurrent = v;
            return this;
        }

        public Builder lrBias(double v) {
            lrBias = v;
            return this;
        }

        public Builder lrReadout(double v) {
            lrReadout = v;
            return this;
        }

        public Builder lrReadoutBias(double v) {
            lrReadoutBias = v;
            return this;
        }

        public Builder adam(double beta1, double beta2, double epsilon) {
            adamBeta1 = beta1;
            adamBeta2 = beta2;
            adamEpsilon = epsilon;
            return this;
        }

        public Builder updateIntervalSteps(int v) {
            updateIntervalSteps = v;
            return this;
        }

        public Builder rateRegularization(double lambda, double targetHz, double tauMs) {
            rateRegularization = lambda;
            targetRateHz = targetHz;
            rateTauMs = tauMs;
            return this;
        }

        public Builder maxLearningRate(double v) {
            maxLearningRate = v;
            return this;
        }

        public Builder maxWeightChange(double v) {
            maxWeightChange = v;
            return this;
        }

        public Builder maxWeightNorm(double v) {
            maxWeightNorm = v;
            return this;
        }

        public Builder windowSteps(int v) {
            windowSteps = v;
            return this;
        }

        public Builder nestReadoutScaling(boolean v) {
            nestReadoutScaling = v;
            return this;
        }

        public Builder nestCompatibility(NestCompatibility v) {
            nestCompatibility = v;
            return this;
        }

        public EpropConfig build() {
            return new EpropConfig(
                    loss,
                    feedback,
                    feedbackSeed,
                    optimizer,
                    lrInput,
                    lrRecurrent,
                    lrBias,
                    lrReadout,
                    lrReadoutBias,
                    adamBeta1,
                    adamBeta2,
                    adamEpsilon,
                    updateIntervalSteps,
                    rateRegularization,
                    targetRateHz,
                    rateTauMs,
                    maxLearningRate,
                    maxWeightChange,
                    maxWeightNorm,
                    windowSteps,
                    nestReadoutScaling,
                    nestCompatibility);
        }
    }
}
