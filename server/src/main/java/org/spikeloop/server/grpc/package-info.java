/**
 * The gRPC API (spikeloop.v1): every service — Session, Ingest, Decode, Learning, Job and
 * Governance — and the server that hosts them ({@link org.spikeloop.server.grpc.SpikeloopServer}:
 * health, reflection, the malformed-request guard), its transport limits ({@link
 * org.spikeloop.server.grpc.GrpcTransport}: connection caps, streams, handshake, keep-alive, rapid
 * reset, the bounded call pools) and the cap on every request string ({@link
 * org.spikeloop.server.grpc.RequestFieldLimits}). Each service is a thin translator: it maps
 * protobuf to the domain's types and calls, the domain's results back to protobuf, and the domain's
 * exceptions to statuses ({@link org.spikeloop.server.grpc.Statuses}); request checks and
 * computation live in the domain packages.
 *
 * <p>Threads: gRPC's transport threads and the fixed call pools ({@code transport.rpcThreads},
 * {@code transport.controlThreads}) call in; nothing here blocks them (engine commands reply
 * asynchronously, governance and registry work runs on executors the application hands in); watcher
 * streams are written from the delivery thread (each frame pre-encoded into the watcher's reused
 * buffer, {@link org.spikeloop.server.grpc.DecodedFrameEncoder}).
 *
 * <p>May import: every other {@code org.spikeloop.server} package and the modules below. Imported
 * only by the application ({@code org.spikeloop.app}).
 */
package org.spikeloop.server.grpc;
