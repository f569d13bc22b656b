package org.spikeloop.server.security;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Audits every call of a method that needs the operator role (every mutating spikeloop.v1 call:
 * SubmitJob, CancelJob, PushSamples, EvaluateNow, ... and the ones whose domain also writes its own
 * line with the values before and after, like CreateSession), once, when it ends, with its outcome:
 * {@code {"who":"alice","action":"call JobService/CancelJob","session":"s-1","previous":"job-7",
 * "next":"OK"}} — {@code session} is the request's {@code session_id}, {@code previous} its {@code
 * id} (a job or checkpoint id), {@code next} the status code and the response's {@code id} (the job
 * a SubmitJob created). Refused calls are audited too; calls refused for their credentials are
 * counted by {@link RefusalLog} instead, before this interceptor runs.
 *
 * <p>Order: runs after {@link AuthInterceptor} (register it first with {@code
 * ServerBuilder.intercept}, which runs interceptors in reverse order), so the caller is known.
 * Threading: any transport thread; one audit line (and fsync) per operator call.
 */
public final class CallAudit implements ServerInterceptor {
    private final AuditLog audit;

    public CallAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!MethodRoles.isProtected(method) || MethodRoles.required(method) != Role.OPERATOR) {
            return next.startCall(call, headers);
        }
        Audited<Q, R> audited = new Audited<>(call, AuthInterceptor.caller().name(), method);
        ServerCall.Listener<Q> listener = next.startCall(audited, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                audited.request(message);
                super.onMessage(message);
            }
        };
    }

    /** The call, remembering what its audit line needs until it closes. */
    private final class Audited<Q, R>
            extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final String who;
        private final String action;
        private volatile String session = "";
        private volatile String requestId = "";
        private volatile String responseId = "";
        private volatile boolean sawRequest;

        Audited(ServerCall<Q, R> call, String who, String method) {
            super(call);
            this.who = who;
            this.action = "call " + method.substring("spikeloop.v1.".length());
        }

        void request(Q message) {
            if (!sawRequest) { // a stream's first message names its session
                sawRequest = true;
                session = stringField(message, "session_id");
                requestId = stringField(message, "id");
            }
        }

        @Override
        public void sendMessage(R message) {
            if (responseId.isEmpty()) {
                responseId = stringField(message, "id");
            }
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            String outcome = status.getCode().name();
            if (!responseId.isEmpty() && !responseId.equals(requestId)) {
                outcome += " " + responseId;
            }
            try {
                audit.record(who, action, session, requestId, outcome);
            } finally {
                super.close(status, trailers); // a failing audit write must not hang the call
            }
        }
    }

    /** A top-level string field of a protobuf message by name, or "". */
    private static String stringField(Object message, String name) {
        if (message instanceof MessageOrBuilder m) {
            FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
            if (f != null && !f.isRepeated() && f.getType() == FieldDescriptor.Type.STRING) {
                return (String) m.getField(f);
            }
        }
        return "";
    }
}
