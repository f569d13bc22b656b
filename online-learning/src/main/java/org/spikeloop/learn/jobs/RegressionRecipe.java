package org.spikeloop.learn.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.Trainer;
import org.spikeloop.learn.train.TrainingSettings;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * How a regression job turns a recording into a decoder without per-recording tuning — the job
 * layer's defaults around the unchanged SG-BPTT trainer (whose losses and {@code spikeloop grad}
 * keep returning raw gradients). Each step answers a measured failure of training on raw recordings
 * (docs/jobs.md, "Why jobs did not learn"):
 *
 * <ol>
 *   <li><b>Split by time</b>: the last {@code heldOutFraction} is held out and only scored; the
 *       last {@code innerValidationFraction} of the rest is the inner validation part every choice
 *       below is made on, so the held-out score is never used to choose anything.
 *   <li><b>Targets standardised</b> per output ({@link TargetScaling}); folded back into the
 *       readout at the end, so the checkpoint decodes in the recording's units.
 *   <li><b>Input gain</b> (fresh networks): the input weights are drawn at the configured {@code
 *       init.inputGain} times each of {@link #GAIN_FACTORS}; the gain whose calibrated readout
 *       scores best on the inner validation part is kept. Spike inputs at 1 kHz are sparse, and a
 *       hidden layer that barely fires carries little information whatever the readout.
 *   <li><b>Readout in closed form</b> ({@link ReadoutCalibration}): least squares on the filtered
 *       hidden spikes, with the span of recent data and the ridge chosen on the inner validation
 *       part (recordings drift).
 *   <li><b>SG-BPTT fine-tuning</b> ({@link FineTuningEpoch}) from there on windows of {@code
 *       windowS} seconds of the chosen span, Adam with a cosine learning-rate decay over {@code
 *       training.epochs}, early stopping on the inner validation R² with {@code patience}; epoch 0
 *       (the calibrated readout alone) is a candidate, so training can only keep or improve the
 *       validation score.
 *   <li><b>Readout refitted</b> on the chosen span plus the inner validation part (the most recent
 *       training data) with the chosen ridge, then the target scaling folded in.
 * </ol>
 *
 * <p>Threading: runs on the caller's thread; {@code options.threads} BPTT workers. Allocates freely
 * (offline).
 */
public final class RegressionRecipe {
    /** Factors of the configured input gain tried for a fresh network. */
    static final double[] GAIN_FACTORS = {0.5, 1, 2, 4, 8, 16, 32};

    /**
     * The recipe's settings.
     *
     * @param heldOutFraction last fraction of the frames held out for the report's scores
     * @param innerValidationFraction last fraction of the training part used to choose
     * @param windowFrames frames per SG-BPTT window
     * @param patience epochs without a better inner validation R² before stopping
     */
    public record Settings(
            double heldOutFraction,
            double innerValidationFraction,
            int windowFrames,
            int patience) {
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
            if (windowFrames < 1) {
                throw new IllegalArgumentException(
                        "window frames must be >= 1, got " + windowFrames);
            }
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be >= 1, got " + patience);
            }
        }

        /** Defaults: 25 % held out, 20 % of the rest for choices, 1-s windows, patience 4. */
        public static Settings defaults(double dtMs) {
            return new Settings(0.25, 0.2, Math.max(1, (int) Math.round(1000.0 / dtMs)), 4);
        }
    }

    private RegressionRecipe() {}

    /**
     * Trains a decoder on {@code data}.
     *
     * @param start parameters to start from (a registry checkpoint's; its readout in target units),
     *     or null for a fresh network from {@code config.init}
     * @throws IllegalArgumentException for data the recipe cannot use (too short for the split,
     *     constant targets, a silent network), naming the problem
     * @throws JobCancelledException when {@code cancelled} turns true
     */
    public static RegressionOutcome run(
            JobConfig config,
            NetworkParams start,
            LabelledSequence data,
            Settings settings,
            JobProgressListener listener,
            BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        NetworkSpec spec = config.spec();
        int frames = data.frames();
        int heldOutStart = (int) Math.round(frames * (1.0 - settings.heldOutFraction()));
        int validationStart =
                (int) Math.round(heldOutStart * (1.0 - settings.innerValidationFraction()));
        int minFit = Math.max(settings.windowFrames(), 2 * ReadoutCalibration.BLOCKS);
        if (validationStart < minFit
                || heldOutStart - validationStart < 2
                || frames - heldOutStart < 2) {
            throw new IllegalArgumentException(
                    "the recording has "
                            + frames
                            + " labelled frames: too short for a "
                            + settings.heldOutFraction()
                            + " held-out part and an inner validation part with at least one"
                            + " training window of "
                            + settings.windowFrames()
                            + " frames before them");
        }
        LabelledSequence training = data.slice(0, heldOutStart);
        LabelledSequence heldOut = data.slice(heldOutStart, frames);
        TargetScaling scaling = TargetScaling.fit(training.slice(0, validationStart));
        LabelledSequence train = scaling.apply(training);
        LabelledSequence validation = train.slice(validationStart, heldOutStart);

        RegressionScore startScore = null;
        NetworkParams params;
        double inputGain = Double.NaN;
        ReadoutCalibration.Choice choice;
        if (start != null) {
            NetworkParams folded = start.copy();
            startScore = score(spec, folded, heldOut);
            params = start.copy();
            scaling.unfoldFromReadout(params);
            choice = ReadoutCalibration.calibrate(spec, params, train, validationStart);
        } else {
            params = null;
            choice = null;
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
                ReadoutCalibration.Choice c;
                try {
                    c = ReadoutCalibration.calibrate(spec, p, train, validationStart);
                } catch (IllegalArgumentException silent) {
                    continue; // this gain leaves the hidden layer silent; try a larger one
                }
                if (choice == null || c.validationR2() > choice.validationR2()) {
                    choice = c;
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
                                + java.util.Arrays.toString(GAIN_FACTORS)
                                + "); check the inputs stream");
            }
        }
        NetworkParams calibrated = params.copy();
        NetworkParams calibratedFolded = calibrated.copy();
        scaling.foldIntoReadout(calibratedFolded);
        RegressionScore calibratedScore = score(spec, calibratedFolded, heldOut);

        // SG-BPTT on the chosen span, early stopping on the inner validation R².
        List<Double> trainLoss = new ArrayList<>();
        List<Double> validationMse = new ArrayList<>();
        List<Double> validationR2 = new ArrayList<>();
        HeldOutScore v0 = HeldOutEvaluation.score(spec, params, validation);
        validationMse.add(v0.mse());
        validationR2.add(v0.r2());
        trainLoss.add(Double.NaN); // epoch 0 is the closed-form readout: no training loss
        NetworkParams best = params.copy();
        double bestR2 = v0.r2();
        int bestEpoch = 0;
        boolean stoppedEarly = false;
        int spanFrames = validationStart - choice.startFrame();
        TrainingSettings ts = config.training();
        if (spanFrames >= settings.windowFrames()) {
            Batch windows =
                    Windows.batch(
                            train.slice(choice.startFrame(), validationStart),
                            settings.windowFrames());
            int sinceBest = 0;
            try (Trainer trainer = new Trainer(config)) {
                for (int e = 0; e < ts.epochs(); e++) {
                    double loss = FineTuningEpoch.run(trainer, params, windows, ts, e, cancelled);
                    HeldOutScore v = HeldOutEvaluation.score(spec, params, validation);
                    trainLoss.add(loss);
                    validationMse.add(v.mse());
                    validationR2.add(v.r2());
                    if (v.r2() > bestR2) {
                        bestR2 = v.r2();
                        bestEpoch = e + 1;
                        best = params.copy();
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
                                    v.mse(),
                                    v.r2(),
                                    bestEpoch,
                                    elapsedS,
                                    elapsedS / (e + 1) * (ts.epochs() - e - 1)));
                    if (sinceBest >= settings.patience() && e + 1 < ts.epochs()) {
                        stoppedEarly = true;
                        break;
                    }
                }
            }
        }
        NetworkParams fin = best;
        ReadoutCalibration.refit(spec, fin, train, choice.startFrame(), choice.relativeRidge());
        scaling.foldIntoReadout(fin);
        RegressionScore heldOutScore = score(spec, fin, heldOut);
        float[] predictions = HeldOutEvaluation.score(spec, fin, heldOut).predictions();
        List<RegressionBaselines.Result> baselines =
                RegressionBaselines.fit(data, validationStart, heldOutStart, spec.dtMs());
        return new RegressionOutcome(
                fin,
                scaling,
                inputGain,
                choice,
                data.stampsS()[choice.startFrame()] - data.stampsS()[0],
                trainLoss,
                validationMse,
                validationR2,
                bestEpoch,
                stoppedEarly,
                startScore,
                calibratedScore,
                heldOutScore,
                predictions,
                baselines,
                validationStart,
                heldOutStart,
                heldOut,
                (System.nanoTime() - t0) / 1e9);
    }

    private static RegressionScore score(NetworkSpec spec, NetworkParams p, LabelledSequence s) {
        HeldOutScore h = HeldOutEvaluation.score(spec, p, s);
        return RegressionScore.of(h.predictions(), s.y(), s.outputs(), 0, s.frames());
    }

    /** Whether a job config suits this recipe: a leaky readout trained with {@code readout_mse}. */
    public static boolean applies(JobConfig config) {
        return config.spec().readout().type() == org.spikeloop.snn.spec.ReadoutType.LEAKY
                && config.json()
                        .getAsJsonObject("loss")
                        .get("name")
                        .getAsString()
                        .equals("readout_mse");
    }
}
