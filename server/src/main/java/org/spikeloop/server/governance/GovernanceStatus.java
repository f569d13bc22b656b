package org.spikeloop.server.governance;

/**
 * A governed session as the API shows it.
 *
 * @param sessionId the session
 * @param activeCheckpoint registry id of its ACTIVE checkpoint, or null
 * @param referenceCheckpoint registry id of its REFERENCE checkpoint, or null
 * @param lastGoodCheckpoint registry id of its LAST_GOOD checkpoint, or null
 * @param policy its policy (with the snapshot period)
 * @param scores the last shadow evaluation, or null before the first
 */
public record GovernanceStatus(
        String sessionId,
        String activeCheckpoint,
        String referenceCheckpoint,
        String lastGoodCheckpoint,
        GovernancePolicy policy,
        ShadowScores scores) {}
