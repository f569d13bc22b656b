/**
 * A session's I/O beside the engine: where samples and labels come in and where decoded frames go
 * out over LSL. The LSL sample source ({@link org.spikeloop.server.io.LslSource}) and the gRPC
 * ingest ({@link org.spikeloop.server.io.SampleIngest}) are the input ring's single producer,
 * through the session's front-end ({@link org.spikeloop.server.io.FrontEndFeed}); the LSL label
 * source ({@link org.spikeloop.server.io.LslLabelSource}) is the label ring's; the LSL outlet agent
 * ({@link org.spikeloop.server.io.LslOutletAgent}) reads the frame ring like a watcher. Every LSL
 * stream a session uses is checked and connected in one place ({@link
 * org.spikeloop.server.io.LslEndpoints}). Every input row's time stamp passes one rule first
 * ({@link org.spikeloop.server.io.SourceStamps}: a bad stamp is repaired and counted). The rings
 * themselves stay in {@code engine}: the engine consumes the input and label rings and produces the
 * frame ring, and it must not depend on this package.
 *
 * <p>Threads: the agents run on their session's engine thread (or, not co-located, on the sources'
 * and publishers' pool threads); an ingest on the gRPC stream's thread; a marker stream's presence
 * check on its own thread ({@code spikeloop-lsl-presence-<session>}); opening endpoints on the
 * control plane. Per sample and per frame: no allocation, no lock, no logging.
 *
 * <p>May import: {@code engine}, {@code recording}, {@link org.spikeloop.server.ServerException},
 * the adapters' LSL binding and the {@code signal} front-ends. Imported by {@code metrics}, {@code
 * session}, {@code grpc} and the application.
 */
package org.spikeloop.server.io;
