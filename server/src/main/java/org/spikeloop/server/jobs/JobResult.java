package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.List;
import org.spikeloop.learn.jobs.ClassificationOutcome;
import org.spikeloop.learn.jobs.RegressionOutcome;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * A finished job: the registered checkpoint, the training outcome and the report files. Exactly one
 * of {@code outcome} (a regression job) and {@code classification} is set.
 *
 * @param checkpoint the registry entry of the trained checkpoint
 * @param outcome a regression job's losses, choices, held-out scores and baselines, or null
 * @param classification a classification job's, or null
 * @param outputNames the outputs' names (the labels stream's channel labels; the class names)
 * @param report the JSON report
 * @param plot the PNG (losses, and the held-out data)
 */
public record JobResult(
        RegistryEntry checkpoint,
        RegressionOutcome outcome,
        ClassificationOutcome classification,
        List<String> outputNames,
        Path report,
        Path plot) {

    public JobResult {
        if ((outcome == null) == (classification == null)) {
            throw new IllegalArgumentException(
                    "a job result is either a regression or a classification outcome");
        }
    }

    /** The one-line result in the user's units. */
    public String summary() {
        return outcome != null
                ? JobScores.summary(outcome, outputNames)
                : ClassificationScores.summary(classification);
    }

    /** SG-BPTT epochs run (not counting epoch 0, the closed-form readout). */
    public int epochs() {
        return (outcome != null ? outcome.trainLoss() : classification.trainLoss()).size() - 1;
    }

    /** The epoch kept (0 = the closed-form readout). */
    public int bestEpoch() {
        return outcome != null ? outcome.bestEpoch() : classification.bestEpoch();
    }

    /** Whether early stopping ended SG-BPTT. */
    public boolean stoppedEarly() {
        return outcome != null ? outcome.stoppedEarly() : classification.stoppedEarly();
    }
}
