/**
 * The runtime's shared vocabulary: {@link org.spikeloop.server.ServerException}, the refusal every
 * layer throws, whose kind the gRPC layer maps to a status and whose message names the field or
 * limit. The packages below hold the runtime, layer by layer (docs/architecture.md, "Module
 * dependencies"): {@code config}, {@code os}, {@code registry} and {@code engine} at the bottom;
 * {@code recording} and {@code security}; {@code io} and {@code jobs}; {@code metrics}; {@code
 * session}; {@code governance}; {@code grpc} on top. A package imports only packages below it
 * ({@code ArchitectureTest} in the application module checks it).
 *
 * <p>Threads: none. May import: nothing of the server.
 */
package org.spikeloop.server;
