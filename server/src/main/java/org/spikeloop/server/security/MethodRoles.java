package org.spikeloop.server.security;

import java.util.Set;

/**
 * Which role each spikeloop.v1 method needs. Read-only methods need {@link Role#VIEWER}; everything
 * else {@link Role#OPERATOR}. Health checks and reflection are not spikeloop.v1 methods and need no
 * token (Kubernetes probes and grpcurl discovery).
 */
public final class MethodRoles {
    private static final Set<String> VIEWER_METHODS =
            Set.of(
                    "spikeloop.v1.SessionService/GetSession",
                    "spikeloop.v1.SessionService/ListSessions",
                    "spikeloop.v1.DecodeService/Watch",
                    "spikeloop.v1.DecodeService/WatchBatched",
                    "spikeloop.v1.DecodeService/WatchDecisions",
                    "spikeloop.v1.DecodeService/GetStatistics",
                    "spikeloop.v1.LearningService/GetLearningState",
                    "spikeloop.v1.JobService/WatchJob",
                    "spikeloop.v1.JobService/ListJobs",
                    "spikeloop.v1.GovernanceService/GetGovernance",
                    "spikeloop.v1.GovernanceService/ListGovernanceAudit");

    private MethodRoles() {}

    /** Whether {@code fullMethodName} is part of the authenticated API. */
    public static boolean isProtected(String fullMethodName) {
        return fullMethodName.startsWith("spikeloop.v1.");
    }

    /** The role {@code fullMethodName} needs. */
    public static Role required(String fullMethodName) {
        return VIEWER_METHODS.contains(fullMethodName) ? Role.VIEWER : Role.OPERATOR;
    }
}
