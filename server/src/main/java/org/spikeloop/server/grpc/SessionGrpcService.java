package org.spikeloop.server.grpc;

import io.grpc.stub.StreamObserver;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.ListSessionsResponse;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.session.SessionManager;

/** spikeloop.v1.SessionService: translates to {@link SessionManager}. */
public final class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
    private final SessionManager sessions;

    public SessionGrpcService(SessionManager sessions) {
        this.sessions = sessions;
    }

    @Override
    public void createSession(CreateSessionRequest request, StreamObserver<Session> response) {
        try {
            if (!request.hasSpec()) {
                throw ServerException.invalid("spec: required");
            }
            var s =
                    sessions.create(
                            ProtoMapping.toConfig(request.getSpec()),
                            AuthInterceptor.caller().name());
            response.onNext(ProtoMapping.toProto(s));
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void getSession(SessionId request, StreamObserver<Session> response) {
        try {
            response.onNext(ProtoMapping.toProto(sessions.get(request.getSessionId())));
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void listSessions(
            ListSessionsRequest request, StreamObserver<ListSessionsResponse> response) {
        try {
            ListSessionsResponse.Builder b = ListSessionsResponse.newBuilder();
            for (var s : sessions.list()) {
                b.addSessions(ProtoMapping.toProto(s));
            }
            response.onNext(b.build());
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void stopSession(SessionId request, StreamObserver<Session> response) {
        try {
            var s = sessions.stop(request.getSessionId(), AuthInterceptor.caller().name());
            response.onNext(ProtoMapping.toProto(s));
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }
}
