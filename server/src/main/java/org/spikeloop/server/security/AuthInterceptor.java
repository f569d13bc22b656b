package org.spikeloop.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;

/**
 * Authenticates spikeloop.v1 calls by their {@code authorization: Bearer <token>} header and checks
 * the method's role: no or unknown token → UNAUTHENTICATED, too weak a role → PERMISSION_DENIED.
 * The caller's {@link Principal} is put into the gRPC {@link Context} ({@link #PRINCIPAL}) for the
 * audit log. Without a token store every caller is {@link Principal#ANONYMOUS}. A request with more
 * than one {@code authorization} header is refused (which one would count is a guess an attacker
 * could exploit). Refusals are audited in aggregate ({@link RefusalLog}): counted and sampled, one
 * audit line per interval, never an fsync per refused call. A connection that keeps sending calls
 * without valid credentials is closed ({@link CredentialStrikes}, {@code
 * transport.maxCredentialFailuresPerConnection}).
 *
 * <p>Threading: stateless apart from the immutable store and the refusal counters; runs on the
 * transport's threads.
 */
public final class AuthInterceptor implements ServerInterceptor {
    public static final Context.Key<Principal> PRINCIPAL = Context.key("spikeloop-principal");
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    /**
     * Told of every call refused for its credentials (no, several or an unknown token), with the
     * connection's remote address; the transport closes a connection that keeps sending them.
     */
    @FunctionalInterface
    public interface CredentialStrikes {
        void refused(SocketAddress remote);
    }

    private final TokenStore tokens;
    private final RefusalLog refusals;
    private final CredentialStrikes strikes;

    /**
     * @param tokens the token store, or null for no authentication
     * @param refusals where refused calls are counted and sampled (may be null)
     */
    public AuthInterceptor(TokenStore tokens, RefusalLog refusals) {
        this(tokens, refusals, remote -> {});
    }

    /**
     * @param tokens the token store, or null for no authentication
     * @param refusals where refused calls are counted and sampled (may be null)
     * @param strikes told of each call refused for its credentials
     */
    public AuthInterceptor(TokenStore tokens, RefusalLog refusals, CredentialStrikes strikes) {
        this.tokens = tokens;
        this.refusals = refusals;
        this.strikes = strikes;
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
            Iterable<String> all = headers.getAll(AUTHORIZATION);
            int count = 0;
            String header = null;
            if (all != null) {
                for (String h : all) {
                    header = h;
                    count++;
                }
            }
            if (count > 1) {
                return refuse(
                        call,
                        Status.UNAUTHENTICATED.withDescription(
                                "more than one authorization header: send exactly one"),
                        method,
                        "?");
            }
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
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (refusals != null) {
            refusals.refused(
                    status.getCode() == Status.Code.PERMISSION_DENIED
                            ? RefusalLog.Reason.PERMISSION_DENIED
                            : RefusalLog.Reason.UNAUTHENTICATED,
                    who,
                    method,
                    String.valueOf(peer));
        }
        call.close(status, new Metadata());
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            strikes.refused(peer); // after the close: the refusal's message goes out first
        }
        return new ServerCall.Listener<>() {};
    }
}
