package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.List;
import org.spikeloop.server.registry.CheckpointRegistry;

/**
 * A training job as an API client asks for it (JobService.SubmitJob): recordings by file name in
 * the recordings directory, never by path, and 0 or null where the client leaves a setting to its
 * default. {@link #resolve} checks it and turns it into a {@link TrainingJobRequest}.
 *
 * @param sessionId the session the result belongs to ("" for none)
 * @param recordings file names in the recordings directory
 * @param inputsStream name of the inputs stream in the recordings
 * @param labelsStream name of the labels stream
 * @param fromS first input time stamp (s) to use, NaN = start
 * @param toS last input time stamp (s) to use, NaN = end
 * @param configJson a job config (JobConfig JSON), or null for {@link JobDefaults} around the start
 *     checkpoint's architecture
 * @param startCheckpoint registry id to start from; null = the session's ACTIVE checkpoint (none
 *     without a session: the config's fresh initialisation)
 * @param validationFraction 0 = the task's default (a regression job's {@value
 *     TrainingJobRequest#DEFAULT_VALIDATION_FRACTION} of the time, a classification job's half of
 *     the trials)
 * @param windowFrames 0 = {@value TrainingJobRequest#DEFAULT_WINDOW_FRAMES}
 * @param patience 0 = {@value TrainingJobRequest#DEFAULT_PATIENCE}
 * @param creator who asked
 */
public record JobSubmission(
        String sessionId,
        List<String> recordings,
        String inputsStream,
        String labelsStream,
        double fromS,
        double toS,
        String configJson,
        String startCheckpoint,
        double validationFraction,
        int windowFrames,
        int patience,
        String creator) {
    public JobSubmission {
        sessionId = sessionId == null ? "" : sessionId;
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
    }

    /**
     * The request this submission asks for: the start checkpoint (the session's ACTIVE one when
     * none is named), the recordings' files and the defaults filled in.
     *
     * @throws InvalidJobException naming the field: a session without an ACTIVE checkpoint and no
     *     config, a recording name that is a path or names no file, or an invalid setting
     */
    public TrainingJobRequest resolve(RecordingsDirectory directory, CheckpointRegistry registry) {
        String start = startCheckpoint;
        if (start == null && !sessionId.isEmpty()) {
            start = registry.roles(sessionId).active();
            if (start == null && configJson == null) {
                throw new InvalidJobException(
                        "start_checkpoint: session "
                                + sessionId
                                + " has no active checkpoint in the registry (govern it first)"
                                + " and no config_json was given");
            }
        }
        List<Path> files = directory.resolve("recordings", recordings);
        return new TrainingJobRequest(
                sessionId,
                files,
                inputsStream,
                labelsStream,
                fromS,
                toS,
                configJson,
                start,
                validationFraction == 0 ? Double.NaN : validationFraction,
                windowFrames == 0 ? TrainingJobRequest.DEFAULT_WINDOW_FRAMES : windowFrames,
                patience == 0 ? TrainingJobRequest.DEFAULT_PATIENCE : patience,
                creator);
    }
}
