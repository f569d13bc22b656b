/**
 * What the server allows and records: the bind policy (a non-loopback address only with TLS and
 * tokens, or {@code --insecure}), TLS credentials, bearer tokens and their roles ({@link
 * org.spikeloop.server.security.TokenStore}: digests only, constant-time comparison), the role each
 * method needs, the gRPC interceptor that authenticates calls ({@link
 * org.spikeloop.server.security.AuthInterceptor}), and the append-only audit log ({@link
 * org.spikeloop.server.security.AuditLog}: one JSON line per control action, forced to disk).
 *
 * <p>Threads: the interceptor runs on gRPC's transport threads and keeps no state but the immutable
 * token store; the audit log is synchronised and written from control-plane threads only, never an
 * engine thread.
 *
 * <p>May import: {@code config}, gRPC's API. Imported by {@code session}, {@code governance},
 * {@code grpc} and the application.
 */
package org.spikeloop.server.security;
