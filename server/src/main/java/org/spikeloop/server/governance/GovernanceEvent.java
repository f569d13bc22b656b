package org.spikeloop.server.governance;

import java.time.Instant;

/**
 * One audited governance action.
 *
 * @param time when it happened
 * @param sessionId the session
 * @param action {@code promote}, {@code rollback}, {@code snapshot}, {@code snapshot-skipped} or
 *     {@code policy}
 * @param who an operator's name, or {@code policy:<description>} for automatic actions
 * @param reason why (a guard event, the scores and margin, an operator's note)
 * @param liveMse shadow score of the live decoder at the time (NaN if not evaluated)
 * @param referenceMse shadow score of the reference (NaN if none)
 * @param fromId checkpoint id driving the decoder before ("" if none)
 * @param toId checkpoint id after ("" if none)
 */
public record GovernanceEvent(
        Instant time,
        String sessionId,
        String action,
        String who,
        String reason,
        double liveMse,
        double referenceMse,
        String fromId,
        String toId) {}
