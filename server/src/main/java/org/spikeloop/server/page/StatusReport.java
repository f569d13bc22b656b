package org.spikeloop.server.page;

import io.grpc.StatusRuntimeException;
import org.spikeloop.proto.v1.ListJobsRequest;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;

/**
 * The page's figures as JSON, each part the answer of one gRPC call (through {@link GrpcGateway}):
 * the overview lists the sessions ({@code ListSessions}); a session's report joins {@code
 * GetSession}, {@code GetStatistics}, {@code GetLearningState}, {@code GetGovernance}, {@code
 * ListGovernanceAudit} and {@code ListJobs}. A part the session does not have (not governed, no
 * learning state once stopped) is {@code null} or empty, with the service's reason beside it.
 *
 * <p>Threading: any thread (blocking, control plane).
 */
final class StatusReport {
    private final GrpcGateway grpc;
    private final double streamRateHz;

    StatusReport(GrpcGateway grpc, double streamRateHz) {
        this.grpc = grpc;
        this.streamRateHz = streamRateHz;
    }

    /**
     * Every session, as ListSessions answers, each with its learning state and governance roles:
     * {@code {"sessions":[{"session":…,"learning":…,"governance":…}, …]}}.
     */
    String overview(String authorization) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time_unix_ms\":").append(System.currentTimeMillis());
        b.append(",\"stream_rate_hz\":").append(streamRateHz);
        b.append(",\"sessions\":[");
        boolean first = true;
        for (Session s :
                grpc.sessions(authorization)
                        .listSessions(ListSessionsRequest.getDefaultInstance())
                        .getSessionsList()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            SessionId id = SessionId.newBuilder().setSessionId(s.getId()).build();
            b.append("{\"session\":").append(GrpcGateway.json(s));
            optional(
                    b,
                    "learning",
                    () -> GrpcGateway.json(grpc.learning(authorization).getLearningState(id)));
            optional(
                    b,
                    "governance",
                    () -> GrpcGateway.json(grpc.governance(authorization).getGovernance(id)));
            b.append('}');
        }
        return b.append("]}").toString();
    }

    /**
     * One session's report.
     *
     * @throws StatusRuntimeException from GetSession (e.g. NOT_FOUND) or GetStatistics
     */
    String session(String sessionId, String authorization) {
        SessionId id = SessionId.newBuilder().setSessionId(sessionId).build();
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"time_unix_ms\":").append(System.currentTimeMillis());
        b.append(",\"stream_rate_hz\":").append(streamRateHz);
        b.append(",\"session\":")
                .append(GrpcGateway.json(grpc.sessions(authorization).getSession(id)));
        b.append(",\"statistics\":")
                .append(GrpcGateway.json(grpc.decode(authorization).getStatistics(id)));
        optional(
                b,
                "learning",
                () -> GrpcGateway.json(grpc.learning(authorization).getLearningState(id)));
        optional(
                b,
                "governance",
                () -> GrpcGateway.json(grpc.governance(authorization).getGovernance(id)));
        optional(
                b,
                "audit",
                () -> GrpcGateway.json(grpc.governance(authorization).listGovernanceAudit(id)));
        optional(
                b,
                "jobs",
                () ->
                        GrpcGateway.json(
                                grpc.jobs(authorization)
                                        .listJobs(
                                                ListJobsRequest.newBuilder()
                                                        .setSessionId(sessionId)
                                                        .build())));
        return b.append('}').toString();
    }

    /** {@code "key": value}, or {@code "key": null, "key_error": why} when the call is refused. */
    private static void optional(
            StringBuilder b, String key, java.util.function.Supplier<String> call) {
        b.append(",\"").append(key).append("\":");
        try {
            b.append(call.get());
        } catch (StatusRuntimeException e) {
            String why = e.getStatus().getDescription();
            b.append("null,\"").append(key).append("_error\":");
            Json.string(b, e.getStatus().getCode() + (why == null ? "" : ": " + why));
        }
    }
}
