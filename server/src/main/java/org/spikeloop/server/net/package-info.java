/**
 * What every listener of the server shares below its protocol: the connection caps ({@link
 * org.spikeloop.server.net.ConnectionLimiter}, in total and per peer address) that gRPC and the
 * HTTP server apply to each accepted connection before any protocol runs on it.
 *
 * <p>Threads: the listeners' Netty event loops call in; counts are read from any thread.
 *
 * <p>May import: Netty only. Imported by {@code grpc}, {@code http} and the application.
 */
package org.spikeloop.server.net;
