package org.spikeloop.server.jobs;

import java.nio.file.Path;
import org.spikeloop.learn.jobs.JobOutcome;
import org.spikeloop.server.registry.RegistryEntry;

/**
 * A finished job: the registered checkpoint, the training outcome and the report files.
 *
 * @param checkpoint the registry entry of the trained checkpoint
 * @param outcome losses, scores, best epoch
 * @param report the JSON report
 * @param plot the PNG (loss curves, predicted vs target on held-out data)
 */
public record JobResult(RegistryEntry checkpoint, JobOutcome outcome, Path report, Path plot) {}
