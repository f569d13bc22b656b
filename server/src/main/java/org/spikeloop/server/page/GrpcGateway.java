package org.spikeloop.server.page;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.GovernanceServiceGrpc;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.server.http.RouteException;

/**
 * The page's way to the server's state and actions: the gRPC services themselves, called in-process
 * with the browser's own {@code Authorization} header. The page thus shows exactly what
 * GetStatistics, GetSession, GetLearningState and GetGovernance answer, and its operator actions
 * pass the same token check, role check and call audit as any gRPC client's; nothing is computed
 * twice.
 *
 * <p>Threading: any thread; each call blocks the caller for at most {@link #DEADLINE_MS}.
 */
final class GrpcGateway {
    /** The most one in-process call may take before the page shows an error instead. */
    static final long DEADLINE_MS = 5_000;

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final JsonFormat.Printer JSON =
            JsonFormat.printer()
                    .preservingProtoFieldNames()
                    .alwaysPrintFieldsWithNoPresence()
                    .omittingInsignificantWhitespace();

    private final Channel channel;

    GrpcGateway(Channel channel) {
        this.channel = channel;
    }

    SessionServiceGrpc.SessionServiceBlockingStub sessions(String authorization) {
        return with(SessionServiceGrpc.newBlockingStub(channel), authorization);
    }

    DecodeServiceGrpc.DecodeServiceBlockingStub decode(String authorization) {
        return with(DecodeServiceGrpc.newBlockingStub(channel), authorization);
    }

    LearningServiceGrpc.LearningServiceBlockingStub learning(String authorization) {
        return with(LearningServiceGrpc.newBlockingStub(channel), authorization);
    }

    GovernanceServiceGrpc.GovernanceServiceBlockingStub governance(String authorization) {
        return with(GovernanceServiceGrpc.newBlockingStub(channel), authorization);
    }

    JobServiceGrpc.JobServiceBlockingStub jobs(String authorization) {
        return with(JobServiceGrpc.newBlockingStub(channel), authorization);
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S with(S stub, String authorization) {
        S s = stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
        return authorization.isEmpty() ? s : s.withCallCredentials(new Forwarded(authorization));
    }

    /** A message as JSON (proto field names, every field, 64-bit integers as strings). */
    static String json(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass(), e);
        }
    }

    /** A refused call as the HTTP status the page answers with, and the service's own message. */
    static RouteException refusal(StatusRuntimeException e) {
        Status s = e.getStatus();
        int http =
                switch (s.getCode()) {
                    case NOT_FOUND -> 404;
                    case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
                    case UNAUTHENTICATED -> 401;
                    case PERMISSION_DENIED -> 403;
                    case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> 409;
                    case RESOURCE_EXHAUSTED -> 429;
                    case UNAVAILABLE, DEADLINE_EXCEEDED -> 503;
                    default -> 500;
                };
        String why = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        return new RouteException(http, s.getCode() + ": " + why);
    }

    /** The browser's header, sent as the call's {@code authorization} metadata. */
    private static final class Forwarded extends CallCredentials {
        private final String authorization;

        Forwarded(String authorization) {
            this.authorization = authorization;
        }

        @Override
        public void applyRequestMetadata(
                RequestInfo info, Executor executor, MetadataApplier applier) {
            Metadata m = new Metadata();
            m.put(AUTHORIZATION, authorization);
            applier.apply(m);
        }
    }
}
