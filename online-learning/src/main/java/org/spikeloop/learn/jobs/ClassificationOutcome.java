package org.spikeloop.learn.jobs;

import java.util.List;
import org.spikeloop.snn.params.NetworkParams;

/**
 * What {@link ClassificationRecipe} produced. Losses are the job config's classification loss
 * ({@code readout_ce} or {@code spike_count_ce}; natural log, log K is what guessing scores);
 * accuracies are shares of trials decided right.
 *
 * @param params the trained parameters (the class offsets folded into the readout bias)
 * @param inputGain the input gain chosen for a fresh network (NaN when started from a checkpoint)
 * @param shrinkage the closed-form readout's LDA shrinkage γ
 * @param gainChoices per input gain tried, its closed-form readout's inner-validation cross-entropy
 *     (NaN when the hidden layer stayed silent); empty from a checkpoint
 * @param offsets the per-class offsets δ calibrated on the training trials and added to the bias
 *     (zeros for a spike-count readout, which is not calibrated)
 * @param trainLoss per epoch, the mean mini-batch loss (index 0, the closed-form readout, is NaN)
 * @param validationCrossEntropy per epoch, the inner validation trials' mean −log π[c]
 * @param validationAccuracy per epoch, the inner validation accuracy
 * @param bestEpoch the epoch kept (0 = the closed-form readout)
 * @param stoppedEarly whether early stopping ended SG-BPTT
 * @param startScore held-out score of the start checkpoint (null for a fresh network)
 * @param closedFormScore held-out score of the closed-form readout (bias calibrated alike), before
 *     SG-BPTT
 * @param heldOut held-out score of the result
 * @param baselines the classical classifiers on the same split
 * @param validationStart index of the first inner validation trial
 * @param heldOutStart index of the first held-out trial
 * @param trainingFrames frames from the recording's start to the last training trial's end
 * @param sequenceFrames frames of each SG-BPTT training sequence (lead-in and window)
 * @param spikesPerFrame the result's mean spikes per hidden neuron and frame up to the held-out
 *     part
 * @param seconds wall time
 */
public record ClassificationOutcome(
        NetworkParams params,
        double inputGain,
        double shrinkage,
        List<double[]> gainChoices,
        double[] offsets,
        List<Double> trainLoss,
        List<Double> validationCrossEntropy,
        List<Double> validationAccuracy,
        int bestEpoch,
        boolean stoppedEarly,
        ClassificationScore startScore,
        ClassificationScore closedFormScore,
        ClassificationScore heldOut,
        List<ClassificationBaselines.Result> baselines,
        int validationStart,
        int heldOutStart,
        int trainingFrames,
        int sequenceFrames,
        double spikesPerFrame,
        double seconds) {}
