package org.spikeloop.server.governance;

import java.util.List;

/**
 * What an operator asks for when putting a session under governance (GovernanceService
 * .GovernSession), checked by {@link GovernanceOperations#govern}.
 *
 * @param sessionId the session
 * @param policy the policy (its snapshot period the default unless {@code snapshotEveryS} is set)
 * @param snapshotEveryS the live weights' snapshot period in seconds as the client sent it (read as
 *     unsigned, at most one year, 0 = off), or null for the policy's
 * @param recordings the session's recordings: file names in the recordings directory
 * @param inputsStream name of the inputs stream in the recordings (required)
 * @param labelsStream name of the labels stream (required)
 * @param evaluationSeconds recent data scored per evaluation; 0 = {@value
 *     GovernanceOperations#DEFAULT_EVALUATION_S}
 * @param trainEveryMinutes a periodic training job every this many minutes; 0 = off
 * @param trainEveryLabelledSamples or every this many new labelled samples; 0 = off
 */
public record GovernRequest(
        String sessionId,
        GovernancePolicy policy,
        Long snapshotEveryS,
        List<String> recordings,
        String inputsStream,
        String labelsStream,
        double evaluationSeconds,
        double trainEveryMinutes,
        long trainEveryLabelledSamples) {
    public GovernRequest {
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
    }
}
