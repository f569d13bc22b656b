package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.List;
import org.spikeloop.learn.jobs.RegressionOutcome;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * A finished job: the registered checkpoint, the training outcome and the report files.
 *
 * @param checkpoint the registry entry of the trained checkpoint
 * @param outcome losses, choices, held-out scores and baselines
 * @param outputNames the outputs' names (the labels stream's channel labels)
 * @param report the JSON report
 * @param plot the PNG (loss curves, predicted vs target on held-out data)
 */
public record JobResult(
        RegistryEntry checkpoint,
        RegressionOutcome outcome,
        List<String> outputNames,
        Path report,
        Path plot) {

    /** The one-line result in the user's units (see {@link JobScores#summary}). */
    public String summary() {
        return JobScores.summary(outcome, outputNames);
    }
}
