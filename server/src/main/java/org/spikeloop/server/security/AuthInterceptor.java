package org.spikeloop.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Authenticates spikeloop.v1 calls by their {@code authorization: Bearer <token>} header and checks
 * the method's role: no or unknown token → UNAUTHENTICATED, too weak a role → PERMISSION_DENIED.
 * The caller's {@link Principal} is put into the gRPC {@link Context} ({@link #PRINCIPAL}) for the
 * audit log. Without a token store every caller is {@link Principal#ANONYMOUS}.
 *
 * <p>Threading: stateless apart from the immutable store; runs on the transport's threads.
 */
public final class AuthInterceptor implements ServerInterceptor {
    public static final Context.Key<Principal> PRINCIPAL = Context.key("spikeloop-principal");
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final TokenStore tokens;
    private final AuditLog audit;

    /**
     * @param tokens the token store, or null for no authentication
     * @param audit where refused calls are recorded (may be null)
     */
    public AuthInterceptor(TokenStore tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The caller of the current call (ANONYMOUS outside an authenticated call). */
    public static Principal caller() {
        Principal p = PRINCIPAL.get();
        return p == null ? Principal.ANONYMOUS : p;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!MethodRoles.isProtected(method)) {
            return next.startCall(call, headers);
        }
        Principal principal;
        if (tokens == null) {
            principal = Principal.ANONYMOUS;
        } else {
            String header = headers.get(AUTHORIZATION);
            if (header == null || !header.startsWith(BEARER)) {
                return refuse(
                        call,
                        Status.UNAUTHENTICATED.withDescription(
                                "missing bearer token: send metadata 'authorization: Bearer <token>'"),
                        method,
                        "?");
            }
            principal = tokens.lookup(header.substring(BEARER.length()).strip());
            if (principal == null) {
                return refuse(
                        call,
                        Status.UNAUTHENTICATED.withDescription("unknown bearer token"),
                        method,
                        "?");
            }
            Role required = MethodRoles.required(method);
            if (!principal.role().allows(required)) {
                return refuse(
                        call,
                        Status.PERMISSION_DENIED.withDescription(
                                method
                                        + " needs role "
                                        + required.name().toLowerCase()
                                        + "; '"
                                        + principal.name()
                                        + "' has role "
                                        + principal.role().name().toLowerCase()),
                        method,
                        principal.name());
            }
        }
        Context ctx = Context.current().withValue(PRINCIPAL, principal);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private <Q, R> ServerCall.Listener<Q> refuse(
            ServerCall<Q, R> call, Status status, String method, String who) {
        if (audit != null && MethodRoles.required(method) == Role.OPERATOR) {
            audit.record(who, "refused " + method, "", status.getCode().name(), "");
        }
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
