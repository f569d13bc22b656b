package org.spikeloop.learn.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingSettings;
import org.spikeloop.learn.trials.ClassBiasCalibration;
import org.spikeloop.learn.trials.WindowedDecision;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * How a classification job turns a recording with trials into a decoder — the classification
 * counterpart of {@link RegressionRecipe}, around the unchanged SG-BPTT trainer and its
 * classification loss: {@code readout_ce} on a leaky readout, or {@code spike_count_ce} on a
 * spike-count readout ({@link org.spikeloop.learn.train.JobConfig} refuses other pairs). A trial's
 * logits are its window's aggregated readout ({@link WindowedDecision.Aggregate}): the
 * window-averaged leaky readout ȳ, or the window's output spike counts n_W.
 *
 * <ol>
 *   <li><b>Split by trials</b>: the last {@code heldOutFraction} of the trials (in time order) is
 *       held out and only scored; the last {@code innerValidationFraction} of the rest are the
 *       inner validation trials every choice below is made on; the trials before them are the fit
 *       trials.
 *   <li><b>Input gain</b> (fresh networks): the input weights are drawn at {@code init.inputGain} ×
 *       each of {@link #GAIN_FACTORS}; the gain whose closed-form readout has the lowest
 *       cross-entropy in a {@value #FOLDS}-fold cross-validation over the training trials (fit and
 *       inner validation; contiguous folds in time) is kept — with 20 calibration trials an inner
 *       validation part of 5 would decide on 5 decisions, the cross-validation decides on 20. The
 *       criterion is the LDA's on the hidden layer's window-averaged spikes, whatever the readout
 *       type: it measures the hidden representation the readout is then fitted on.
 *   <li><b>Readout in closed form</b>: the network runs over the recording as a live session would
 *       ({@link TrialReadouts}); the leaky readout's window average is ȳ = W·mean(z̄) + b, so a
 *       shrinkage LDA with equal class priors (Hastie, Tibshirani &amp; Friedman, ESL eq. (4.10))
 *       fitted on the fit trials' window-averaged filtered spikes gives W and b directly: its
 *       discriminants are log posteriors, i.e. logits, temperature-scaled ({@link #temperature}).
 *       The shrinkage γ is chosen with the gain, by the same cross-validation. A spike-count
 *       readout gets the same discriminants as its output neurons' input currents around their
 *       firing boundary ({@link ClosedFormReadout}).
 *   <li><b>SG-BPTT fine-tuning</b> ({@link FineTuningEpoch}) with the config's loss on one sequence
 *       per fit trial: {@code leadInFrames} before its window (so the state has settled when the
 *       window opens) and the window, the loss masked to the window. The config's optimiser with a
 *       cosine learning-rate decay to 1/20 over {@code training.epochs}; early stopping on the
 *       inner validation cross-entropy of the trials' logits ({@code patience}); epoch 0 (the
 *       closed-form readout) is a candidate.
 *   <li><b>Readout refitted</b> on every training trial (fit and inner validation) when epoch 0 was
 *       kept.
 *   <li><b>Class bias calibrated</b> ({@link ClassBiasCalibration}) on every training trial's
 *       window-averaged readout and added to the readout bias, so that decisions are not biased
 *       towards one class — leaky readouts only: a spike-count readout's bias is its output
 *       neurons' input current, and no shift of it moves the integer spike counts by the fitted
 *       offsets ({@link ClosedFormReadout#biasShiftsLogits}); its offsets are reported as zeros.
 * </ol>
 *
 * Decision: at a trial window's end, the arg-max of softmax of the window's logits, as {@link
 * WindowedDecision} decides in a session. The result is scored on the held-out trials (the network
 * run from the recording's start, as live) next to {@link ClassificationBaselines} fitted on the
 * same split.
 *
 * <p>Threading: runs on the caller's thread; {@code options.threads} BPTT workers. Allocates freely
 * (offline).
 */
public final class ClassificationRecipe {
    /** Factors of the configured input gain tried for a fresh network. */
    static final double[] GAIN_FACTORS = {0.5, 1, 2, 4, 8};

    /**
     * The recipe's settings.
     *
     * @param heldOutFraction last fraction of the trials held out for the report's scores
     * @param innerValidationFraction last fraction of the training trials used to choose
     * @param patience epochs without a lower inner validation cross-entropy before stopping
     * @param leadInFrames frames before each window that an SG-BPTT sequence starts with
     */
    public record Settings(
            double heldOutFraction,
            double innerValidationFraction,
            int patience,
            int leadInFrames) {
        public Settings {
            if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
                throw new IllegalArgumentException(
                        "held-out fraction must be in (0, 1), got " + heldOutFraction);
            }
            if (!(innerValidationFraction > 0 && innerValidationFraction < 1)) {
                throw new IllegalArgumentException(
                        "inner validation fraction must be in (0, 1), got "
                                + innerValidationFraction);
            }
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be >= 1, got " + patience);
            }
            if (leadInFrames < 0) {
                throw new IllegalArgumentException(
                        "lead-in frames must be >= 0, got " + leadInFrames);
            }
        }

        /** Held-out fraction of the trials when none is given. */
        public static final double DEFAULT_HELD_OUT_FRACTION = 0.5;

        /** Defaults: the last half of the trials held out, a quarter of the rest to choose. */
        public static Settings defaults(double dtMs, double leadInS) {
            return new Settings(
                    DEFAULT_HELD_OUT_FRACTION, 0.25, 4, (int) Math.round(leadInS * 1000.0 / dtMs));
        }
    }

    private ClassificationRecipe() {}

    /**
     * Trains a decoder on {@code data}.
     *
     * @param start parameters to start from (a registry checkpoint's), or null for a fresh network
     *     from {@code config.init}
     * @throws IllegalArgumentException for data the recipe cannot use (too few trials for the
     *     split, a class missing from the fit trials, a silent network), naming the problem
     * @throws JobCancelledException when {@code cancelled} turns true
     */
    public static ClassificationOutcome run(
            JobConfig config,
            NetworkParams start,
            TrialSequence data,
            Settings settings,
            JobProgressListener listener,
            BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        NetworkSpec spec = config.spec();
        int k = data.classes();
        if (spec.outputs() != k) {
            throw new IllegalArgumentException(
                    "the network has " + spec.outputs() + " outputs for " + k + " classes");
        }
        int n = data.trialCount();
        int heldOutStart = n - (int) Math.round(n * settings.heldOutFraction());
        int validationStart =
                heldOutStart
                        - Math.max(
                                1,
                                (int)
                                        Math.round(
                                                heldOutStart * settings.innerValidationFraction()));
        requireSplit(data, n, validationStart, heldOutStart, settings);
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = data.classOf(i);
        }

        // ---- closed form: input gain and shrinkage, cross-validated on the training trials ----
        List<double[]> gainChoices = new ArrayList<>();
        NetworkParams params = null;
        double inputGain = Double.NaN;
        Fit chosen = null;
        if (start != null) {
            params = start.copy();
            chosen = closedForm(spec, params, data, classes, heldOutStart);
            if (chosen == null) {
                throw new IllegalArgumentException(
                        "the start checkpoint's hidden layer stays silent on this recording");
            }
        } else {
            InitSpec init = config.init();
            for (double factor : GAIN_FACTORS) {
                JobCancelledException.throwIf(cancelled);
                double gain = init.inputGain() * factor;
                NetworkParams p =
                        Initializer.initialise(
                                spec,
                                new InitSpec(
                                        init.seed(),
                                        gain,
                                        init.spectralRadius(),
                                        init.readoutGain()));
                Fit f = closedForm(spec, p, data, classes, heldOutStart);
                gainChoices.add(
                        new double[] {
                            gain,
                            f == null ? Double.NaN : f.shrinkage(),
                            f == null ? Double.NaN : f.validationCe(),
                            f == null ? Double.NaN : f.validationAccuracy()
                        });
                if (f != null && (chosen == null || f.validationCe() < chosen.validationCe())) {
                    chosen = f;
                    params = p;
                    inputGain = gain;
                }
            }
            if (params == null) {
                throw new IllegalArgumentException(
                        "the network's hidden layer stays silent on this recording at every input"
                                + " gain tried ("
                                + init.inputGain()
                                + " × "
                                + Arrays.toString(GAIN_FACTORS)
                                + "); check the inputs stream and the front-end");
            }
        }
        ClassificationScore startScore =
                start == null ? null : heldOutScore(spec, start, data, classes, heldOutStart);
        double gamma = chosen.shrinkage();
        NetworkParams closedFormFinal = params.copy();
        fitReadout(spec, closedFormFinal, data, classes, heldOutStart, heldOutStart, chosen);
        double[] closedFormOffsets =
                calibrateBias(spec, closedFormFinal, data, classes, heldOutStart);
        ClassificationScore closedFormScore =
                heldOutScore(spec, closedFormFinal, data, classes, heldOutStart);

        // ---- SG-BPTT: the number of epochs chosen on the inner validation trials ----
        NetworkParams trial = params.copy();
        fitReadout(spec, trial, data, classes, validationStart, heldOutStart, chosen);
        ClassificationScore v0 =
                scoreTrials(spec, trial, data, classes, validationStart, heldOutStart);
        List<Double> trainLoss = new ArrayList<>();
        List<Double> validationCe = new ArrayList<>();
        List<Double> validationAccuracy = new ArrayList<>();
        trainLoss.add(Double.NaN);
        validationCe.add(v0.meanCrossEntropy());
        validationAccuracy.add(v0.accuracy());
        double bestCe = v0.meanCrossEntropy();
        int bestEpoch = 0;
        boolean stoppedEarly = false;
        TrainingSettings ts = config.training();
        Batch fitSequences = sequences(data, classes, validationStart, settings.leadInFrames());
        int sinceBest = 0;
        try (Trainer trainer = new Trainer(config)) {
            for (int e = 0; e < ts.epochs(); e++) {
                double loss = FineTuningEpoch.run(trainer, trial, fitSequences, ts, e, cancelled);
                ClassificationScore v =
                        scoreTrials(spec, trial, data, classes, validationStart, heldOutStart);
                trainLoss.add(loss);
                validationCe.add(v.meanCrossEntropy());
                validationAccuracy.add(v.accuracy());
                if (v.meanCrossEntropy() < bestCe) {
                    bestCe = v.meanCrossEntropy();
                    bestEpoch = e + 1;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                double elapsedS = (System.nanoTime() - t0) / 1e9;
                listener.onEpoch(
                        new JobProgress(
                                e + 1,
                                ts.epochs(),
                                loss,
                                v.meanCrossEntropy(),
                                Double.NaN,
                                bestEpoch,
                                elapsedS,
                                elapsedS / (e + 1) * (ts.epochs() - e - 1),
                                v.accuracy()));
                if (sinceBest >= settings.patience() && e + 1 < ts.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        }

        // ---- the result: every training trial, that many epochs, then the class bias ----
        NetworkParams fin = closedFormFinal;
        double[] offsets = closedFormOffsets;
        if (bestEpoch > 0) {
            fin = params.copy();
            fitReadout(spec, fin, data, classes, heldOutStart, heldOutStart, chosen);
            Batch all = sequences(data, classes, heldOutStart, settings.leadInFrames());
            try (Trainer trainer = new Trainer(config)) {
                for (int e = 0; e < bestEpoch; e++) {
                    FineTuningEpoch.run(trainer, fin, all, ts, e, cancelled);
                }
            }
            offsets = calibrateBias(spec, fin, data, classes, heldOutStart);
        }
        ClassificationScore heldOut =
                bestEpoch == 0
                        ? closedFormScore
                        : heldOutScore(spec, fin, data, classes, heldOutStart);
        double rate = TrialReadouts.run(spec, fin, data, heldOutStart).spikesPerFrame();
        List<ClassificationBaselines.Result> baselines =
                ClassificationBaselines.fit(data, validationStart, heldOutStart);
        return new ClassificationOutcome(
                fin,
                inputGain,
                gamma,
                gainChoices,
                offsets,
                trainLoss,
                validationCe,
                validationAccuracy,
                bestEpoch,
                stoppedEarly,
                startScore,
                closedFormScore,
                heldOut,
                baselines,
                validationStart,
                heldOutStart,
                data.to(heldOutStart - 1),
                fitSequences.frames(),
                rate,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Fewest training trials (fit and inner validation) per class. */
    static final int MIN_TRAINING_TRIALS_PER_CLASS = 3;

    private static void requireSplit(
            TrialSequence data, int n, int validationStart, int heldOutStart, Settings s) {
        int[] training = new int[data.classes()];
        for (int i = 0; i < heldOutStart; i++) {
            training[data.classOf(i)]++;
        }
        int fewest = Integer.MAX_VALUE;
        for (int c : training) {
            fewest = Math.min(fewest, c);
        }
        if (n - heldOutStart < 1
                || validationStart < data.classes()
                || fewest < MIN_TRAINING_TRIALS_PER_CLASS) {
            throw new IllegalArgumentException(
                    "the recording has "
                            + n
                            + " trials: too few for a "
                            + s.heldOutFraction()
                            + " held-out part and at least "
                            + MIN_TRAINING_TRIALS_PER_CLASS
                            + " training trials of each class before it (the training part has "
                            + java.util.Arrays.toString(training)
                            + " per class)");
        }
        boolean[] seen = new boolean[data.classes()];
        for (int i = 0; i < validationStart; i++) {
            seen[data.classOf(i)] = true;
        }
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                throw new IllegalArgumentException(
                        "class '"
                                + data.classNames().get(c)
                                + "' has no trial among the first "
                                + validationStart
                                + " (the fit trials before the inner validation and held-out"
                                + " ones)");
            }
        }
    }

    /**
     * The closed-form readout's settings (shrinkage γ, temperature s) and how they scored in the
     * cross-validation.
     */
    private record Fit(
            double shrinkage, double scale, double validationCe, double validationAccuracy) {}

    /** Folds of the cross-validation that chooses the closed-form readout's settings. */
    static final int FOLDS = 5;

    /**
     * The shrinkage whose LDA readout has the lowest cross-validated cross-entropy over the
     * training trials [0, heldOutStart) ({@value #FOLDS} contiguous folds in time: each fold's
     * trials scored by the LDA fitted on the others), or null when the hidden layer is silent.
     *
     * @throws IllegalArgumentException when no γ can be cross-validated (a fold's complement lacks
     *     a class)
     */
    private static Fit closedForm(
            NetworkSpec spec,
            NetworkParams p,
            TrialSequence data,
            int[] classes,
            int heldOutStart) {
        TrialReadouts.Means m = TrialReadouts.run(spec, p, data, heldOutStart);
        if (m.spikesPerFrame() == 0.0) {
            return null;
        }
        int k = data.classes();
        int folds = Math.min(FOLDS, heldOutStart);
        Fit best = null;
        boolean fittable = false;
        for (double gamma : ClassificationBaselines.SHRINKAGES) {
            double[][] logits = new double[heldOutStart][];
            boolean usable = true;
            for (int f = 0; f < folds && usable; f++) {
                int lo = heldOutStart * f / folds;
                int hi = heldOutStart * (f + 1) / folds;
                double[][] rest = new double[heldOutStart - (hi - lo)][];
                int[] restClasses = new int[rest.length];
                for (int i = 0, r = 0; i < heldOutStart; i++) {
                    if (i < lo || i >= hi) {
                        rest[r] = m.hidden()[i];
                        restClasses[r++] = classes[i];
                    }
                }
                try {
                    double[][] wb =
                            ClassificationBaselines.ldaEqualPriors(
                                    rest, restClasses, 0, rest.length, k, gamma);
                    for (int i = lo; i < hi; i++) {
                        logits[i] = apply(wb, m.hidden()[i], k);
                    }
                } catch (IllegalArgumentException singular) {
                    usable = false; // a fold without a class, or a singular problem at this γ
                }
            }
            if (!usable) {
                continue;
            }
            fittable = true;
            double temperature = temperature(logits, classes, k);
            for (double[] l : logits) {
                for (int c = 0; c < k; c++) {
                    l[c] *= temperature;
                }
            }
            ClassificationScore cv =
                    ClassificationScore.ofLogits(
                            data.classNames(),
                            data.trials().subList(0, heldOutStart),
                            Arrays.copyOf(classes, heldOutStart),
                            logits,
                            null);
            if (best == null || cv.meanCrossEntropy() < best.validationCe()) {
                best = new Fit(gamma, temperature, cv.meanCrossEntropy(), cv.accuracy());
            }
        }
        if (!fittable) {
            throw new IllegalArgumentException(
                    "the closed-form readout cannot be fitted: a cross-validation fold of the "
                            + heldOutStart
                            + " training trials leaves a class without trials");
        }
        return best;
    }

    /**
     * The LDA readout on trials [0, to) with shrinkage γ, its logits scaled by s (the
     * cross-validated temperature), written into p (p's network runs).
     */
    private static void fitReadout(
            NetworkSpec spec,
            NetworkParams p,
            TrialSequence data,
            int[] classes,
            int to,
            int heldOutStart,
            Fit chosen) {
        TrialReadouts.Means m = TrialReadouts.run(spec, p, data, heldOutStart);
        double[][] wb =
                ClassificationBaselines.ldaEqualPriors(
                        m.hidden(), classes, 0, to, data.classes(), chosen.shrinkage());
        for (double[] part : wb) {
            for (int i = 0; i < part.length; i++) {
                part[i] *= chosen.scale();
            }
        }
        ClosedFormReadout.write(spec, p, wb);
    }

    /**
     * The scale s &gt; 0 of the logits that minimises their mean cross-entropy (temperature
     * scaling, Guo et al. 2017, "On calibration of modern neural networks", ICML): an LDA fitted on
     * a few trials in many dimensions is overconfident, and its logits must neither saturate the
     * SG-BPTT loss that starts from them nor make the cross-validated cross-entropy that chooses γ
     * punish confidence rather than error. Golden-section search on ln s in [ln 10⁻³, ln 10³] (the
     * objective is convex in s).
     */
    static double temperature(double[][] logits, int[] classes, int k) {
        double lo = Math.log(1e-3);
        double hi = Math.log(1e3);
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo);
        double b = lo + phi * (hi - lo);
        double fa = scaledCe(logits, classes, k, Math.exp(a));
        double fb = scaledCe(logits, classes, k, Math.exp(b));
        for (int it = 0; it < 80; it++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = scaledCe(logits, classes, k, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = scaledCe(logits, classes, k, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    private static double scaledCe(double[][] logits, int[] classes, int k, double s) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, s * logits[i][c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(s * logits[i][c] - max);
            }
            total += max + Math.log(sum) - s * logits[i][classes[i]];
        }
        return total / logits.length;
    }

    private static double[] apply(double[][] wb, double[] h, int k) {
        double[] y = new double[k];
        int p = h.length;
        for (int c = 0; c < k; c++) {
            double s = wb[1][c];
            for (int j = 0; j < p; j++) {
                s += wb[0][c * p + j] * h[j];
            }
            y[c] = s;
        }
        return y;
    }

    /**
     * Adds the class offsets calibrated on every training trial to p's readout bias and returns
     * them; zeros, p unchanged, for a readout whose bias does not shift its logits.
     */
    private static double[] calibrateBias(
            NetworkSpec spec,
            NetworkParams p,
            TrialSequence data,
            int[] classes,
            int heldOutStart) {
        if (!ClosedFormReadout.biasShiftsLogits(spec)) {
            return new double[data.classes()];
        }
        TrialReadouts.Means m = TrialReadouts.run(spec, p, data, heldOutStart);
        double[] delta =
                ClassBiasCalibration.fit(
                        m.readout(), Arrays.copyOf(classes, heldOutStart), data.classes());
        double[] bias = p.get(ParameterNames.READOUT_BIAS).data();
        for (int c = 0; c < delta.length; c++) {
            bias[c] += delta[c];
        }
        return delta;
    }

    /**
     * Scores trials [from, to): the network run causally from the recording's start through trial
     * {@code to − 1}'s window (as a live session would), each trial decided from its
     * window-averaged readout. The inner validation trials are [validationStart, heldOutStart), the
     * held-out ones [heldOutStart, trialCount).
     */
    private static ClassificationScore scoreTrials(
            NetworkSpec spec,
            NetworkParams p,
            TrialSequence data,
            int[] classes,
            int from,
            int to) {
        TrialReadouts.Means m = TrialReadouts.run(spec, p, data, to);
        return ClassificationScore.ofLogits(
                data.classNames(),
                data.trials().subList(from, to),
                Arrays.copyOfRange(classes, from, to),
                Arrays.copyOfRange(m.readout(), from, to),
                null);
    }

    /**
     * Scores parameters on the trials from {@code heldOutStart} on, as the recipe scores its
     * held-out part: the float32 kernel run continuously from the recording's first frame, each
     * trial decided from its window-averaged readout. For re-scoring a job's result on changed data
     * (a robustness test's corrupted held-out part).
     *
     * @param params parameters with the class offsets folded in (a recipe's result)
     */
    public static ClassificationScore scoreHeldOut(
            NetworkSpec spec, NetworkParams params, TrialSequence data, int heldOutStart) {
        int[] classes = new int[data.trialCount()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = data.classOf(i);
        }
        return heldOutScore(spec, params, data, classes, heldOutStart);
    }

    private static ClassificationScore heldOutScore(
            NetworkSpec spec,
            NetworkParams p,
            TrialSequence data,
            int[] classes,
            int heldOutStart) {
        return scoreTrials(spec, p, data, classes, heldOutStart, data.trialCount());
    }

    /**
     * One sequence per fit trial: {@code leadIn} frames before its window and the window, padded to
     * the longest, with {@code label} [B] and {@code mask} [B, L] (1 on the window's frames) for
     * {@code readout_ce} and {@code spike_count_ce}.
     */
    static Batch sequences(TrialSequence data, int[] classes, int trials, int leadIn) {
        int longest = 0;
        for (int i = 0; i < trials; i++) {
            longest = Math.max(longest, data.to(i) - data.from(i));
        }
        int length = Math.min(data.frames(), leadIn + longest);
        int c = data.channels();
        double[] x = new double[trials * length * c];
        double[] label = new double[trials];
        double[] mask = new double[trials * length];
        for (int i = 0; i < trials; i++) {
            int start = Math.max(0, Math.min(data.from(i) - leadIn, data.frames() - length));
            System.arraycopy(data.x(), start * c, x, i * length * c, length * c);
            label[i] = classes[i];
            int windowEnd = Math.min(data.to(i), start + length);
            for (int f = data.from(i); f < windowEnd; f++) {
                mask[i * length + f - start] = 1.0;
            }
        }
        return new Batch(
                x,
                trials,
                length,
                c,
                Map.of(
                        "label", new Tensor(new int[] {trials}, label),
                        "mask", new Tensor(new int[] {trials, length}, mask)));
    }
}
