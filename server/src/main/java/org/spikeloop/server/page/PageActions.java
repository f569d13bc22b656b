package org.spikeloop.server.page;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import org.spikeloop.proto.v1.LearningMode;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SetLearningModeRequest;
import org.spikeloop.server.http.HttpReply;
import org.spikeloop.server.http.HttpRoute;
import org.spikeloop.server.http.RouteException;
import org.spikeloop.server.http.RouteRequest;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.server.security.Principal;

/**
 * {@code POST /api/action?session=ID&action=stop|pause|resume|rollback}: the page's operator
 * actions, each one gRPC call made in-process with the browser's token ({@code StopSession}, {@code
 * SetLearningMode} PAUSED or ENABLED, {@code RollBack}), so the services' role check applies and
 * the call audit writes the action's line as for any operator call. A call the services refuse for
 * the caller's role or token is refused here too (403/401) and written to the audit log as {@code
 * page.refused}, one line each: an operator action is a person pressing a button (the page asks for
 * confirmation first), never a flood, and a viewer trying one is worth a line.
 *
 * <p>POST only (a GET is 405): a link, a prefetch or a reload never acts.
 */
final class PageActions implements HttpRoute {
    static final String PATH = "/api/action";

    private final GrpcGateway grpc;
    private final AuditLog audit;

    PageActions(GrpcGateway grpc, AuditLog audit) {
        this.grpc = grpc;
        this.audit = audit;
    }

    @Override
    public boolean acceptsPost() {
        return true;
    }

    @Override
    public HttpReply handle(RouteRequest r) {
        if (!r.method().equals("POST")) {
            throw new RouteException(405, "actions are POST requests");
        }
        String session = r.param("session");
        String action = r.param("action");
        if (session.isEmpty()) {
            throw new RouteException(400, "session: required");
        }
        SessionId id = SessionId.newBuilder().setSessionId(session).build();
        String auth = r.authorization();
        try {
            String result =
                    switch (action) {
                        case "stop" -> GrpcGateway.json(grpc.sessions(auth).stopSession(id));
                        case "pause" ->
                                GrpcGateway.json(
                                        mode(auth, session, LearningMode.LEARNING_MODE_PAUSED));
                        case "resume" ->
                                GrpcGateway.json(
                                        mode(auth, session, LearningMode.LEARNING_MODE_ENABLED));
                        case "rollback" -> GrpcGateway.json(grpc.learning(auth).rollBack(id));
                        default ->
                                throw new RouteException(
                                        400,
                                        "action: must be stop, pause, resume or rollback, got '"
                                                + action
                                                + "'");
                    };
            return HttpReply.ok(
                    "application/json; charset=utf-8", result.getBytes(StandardCharsets.UTF_8));
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
                Principal who = r.caller();
                audit.record(
                        who == null ? "?" : who.name(),
                        "page.refused",
                        session,
                        action,
                        code + ": " + e.getStatus().getDescription());
            }
            throw GrpcGateway.refusal(e);
        }
    }

    private org.spikeloop.proto.v1.LearningState mode(
            String auth, String session, LearningMode mode) {
        return grpc.learning(auth)
                .setLearningMode(
                        SetLearningModeRequest.newBuilder()
                                .setSessionId(session)
                                .setMode(mode)
                                .build());
    }
}
