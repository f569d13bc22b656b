package org.spikeloop.learn.jobs;

import java.util.List;
import org.spikeloop.snn.params.NetworkParams;

/**
 * What {@link RegressionRecipe} produced. Losses are mean squared errors of standardised targets
 * (units of σ², where 1 is what predicting the mean scores); R² and MSE scores are in the
 * recording's units.
 *
 * @param params the trained parameters, readout in target units (a checkpoint's)
 * @param scaling the target standardisation folded into the readout
 * @param inputGain the input gain chosen for a fresh network (NaN when started from a checkpoint)
 * @param readout the readout calibration's choices (span, ridge)
 * @param trainFromS first training time used, seconds after the recording's first labelled frame
 * @param trainLoss per epoch, the mean mini-batch objective (σ² units; index 0, the closed-form
 *     readout, is NaN)
 * @param validationMse per epoch, the inner validation MSE (σ² units; index 0 = closed form)
 * @param validationR2 per epoch, the inner validation R² (index 0 = closed form)
 * @param bestEpoch the epoch kept (0 = the closed-form readout, no SG-BPTT step improved it)
 * @param stoppedEarly whether early stopping ended SG-BPTT
 * @param startScore held-out score of the start checkpoint (null for a fresh network)
 * @param calibratedScore held-out score after the closed-form readout, before SG-BPTT
 * @param heldOut held-out score of the result, per output
 * @param predictions the result's held-out readout, row-major [T, O]
 * @param baselines the classical decoders on the same split
 * @param validationStart first frame of the inner validation part
 * @param heldOutStart first frame of the held-out part
 * @param heldOutData the held-out frames (targets in the recording's units)
 * @param seconds wall time
 */
public record RegressionOutcome(
        NetworkParams params,
        TargetScaling scaling,
        double inputGain,
        ReadoutCalibration.Choice readout,
        double trainFromS,
        List<Double> trainLoss,
        List<Double> validationMse,
        List<Double> validationR2,
        int bestEpoch,
        boolean stoppedEarly,
        RegressionScore startScore,
        RegressionScore calibratedScore,
        RegressionScore heldOut,
        float[] predictions,
        List<RegressionBaselines.Result> baselines,
        int validationStart,
        int heldOutStart,
        LabelledSequence heldOutData,
        double seconds) {}
