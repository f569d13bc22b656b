package org.spikeloop.server.io;

/**
 * A session's LSL decision outlet as the API shows it.
 *
 * @param decisionsPushed decisions pushed to the outlet
 * @param decisionsDropped decisions lost because the outlet agent fell a whole ring behind
 * @param hasConsumers whether an inlet was connected at the last push
 */
public record LslDecisionOutletView(
        long decisionsPushed, long decisionsDropped, boolean hasConsumers) {}
