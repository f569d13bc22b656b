package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training job trains on and how.
 *
 * @param sessionId the session the result belongs to ("" for none; then no role is set)
 * @param recordings XDF files, read in order
 * @param inputsStream name of the inputs stream in the recordings
 * @param labelsStream name of the labels stream
 * @param fromS first input time stamp (s) to use, NaN = start
 * @param toS last input time stamp (s) to use, NaN = end
 * @param configJson a {@code spikeloop train} job config (JobConfig JSON), or null to use {@link
 *     JobDefaults} around the start checkpoint's architecture
 * @param startCheckpointId registry id to start from (its architecture is the session's), or null
 *     for the config's fresh initialisation
 * @param validationFraction the last fraction held out, in (0, 1): of the time (regression) or of
 *     the trials (classification); NaN = the task's default ({@value #DEFAULT_VALIDATION_FRACTION}
 *     of the time, half of the trials)
 * @param windowFrames frames per training window; 0 = the recipe's default (1 s of the network's
 *     dt)
 * @param patience early-stopping patience in epochs
 * @param creator who asked (user or policy name)
 */
public record TrainingJobRequest(
        String sessionId,
        List<Path> recordings,
        String inputsStream,
        String labelsStream,
        double fromS,
        double toS,
        String configJson,
        String startCheckpointId,
        double validationFraction,
        int windowFrames,
        int patience,
        String creator) {
    /** A regression job's held-out fraction of the time when a request leaves it open (NaN). */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.25;

    /**
     * Frames per training window when a client or a periodic trigger leaves it open: 0, which the
     * job resolves to the recipe's 1 s of the network's dt.
     */
    public static final int DEFAULT_WINDOW_FRAMES = 0;

    /** Early-stopping patience (epochs) when a client or a periodic trigger leaves it open. */
    public static final int DEFAULT_PATIENCE = 3;

    public TrainingJobRequest {
        sessionId = sessionId == null ? "" : sessionId;
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
        if (creator == null || creator.isBlank()) {
            throw new InvalidJobException("creator: a user or policy name is required");
        }
        if (inputsStream == null || inputsStream.isBlank()) {
            throw new InvalidJobException(
                    "inputs_stream: the name of the inputs stream is required");
        }
        if (labelsStream == null || labelsStream.isBlank()) {
            throw new InvalidJobException(
                    "labels_stream: the name of the labels stream is required");
        }
        if (!Double.isNaN(validationFraction)
                && !(validationFraction > 0 && validationFraction < 1)) {
            throw new InvalidJobException(
                    "validation_fraction: must be in (0, 1), got " + validationFraction);
        }
        if (windowFrames != 0 && windowFrames < 2) {
            throw new InvalidJobException(
                    "window_frames: must be 0 (1 s) or >= 2, got " + windowFrames);
        }
        if (patience < 1) {
            throw new InvalidJobException("patience: must be >= 1, got " + patience);
        }
        if (configJson == null && startCheckpointId == null) {
            throw new InvalidJobException(
                    "config: give a job config or a start checkpoint (the session's architecture)");
        }
    }
}
