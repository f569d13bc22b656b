/**
 * Sessions: {@link org.spikeloop.server.session.SessionFactory} checks a {@link
 * org.spikeloop.server.session.SessionConfig} and assembles a {@link
 * org.spikeloop.server.session.Session} in stages (decoder and learner, rings, meters, engine and
 * publisher, then its I/O and recording), {@link org.spikeloop.server.session.SessionManager}
 * creates, lists and stops them within the session limit and tells {@link
 * org.spikeloop.server.session.SessionListener}s, and {@link
 * org.spikeloop.server.session.AgentPool}s host the sessions' agents; plus the learning controls
 * and the legacy checkpoint directory the API offers.
 *
 * <p>Threads: each {@code AgentPool} is one thread (the engine pools, {@code engine.threads} of
 * them; when not co-located, one for the publishers and one for the LSL sources) running many
 * sessions' agents; a session's engine stays on the pool it was created on. Everything else here is
 * control plane (gRPC calls, start-up, shutdown), safe from any thread: creation is serialised, and
 * it reaches an engine only through its commands and rings. Allocation: control plane allocates
 * freely; what runs on the pool threads is the engine's and the I/O agents' code, under their
 * contracts.
 *
 * <p>May import: {@code config}, {@code engine}, {@code io}, {@code metrics}, {@code os}, {@code
 * recording}, {@code registry}, {@code security}, {@link org.spikeloop.server.ServerException}; the
 * modules below the server. Never {@code jobs}, {@code governance} or {@code grpc}: governance
 * learns of sessions through {@code SessionListener}. Imported by {@code governance}, {@code grpc}
 * and the application.
 */
package org.spikeloop.server.session;
