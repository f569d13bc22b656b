/**
 * A session's decoder engine and the hand-offs at its boundary: {@link
 * org.spikeloop.server.engine.EngineAgent}, the single writer of the session's network state,
 * weights and learner; the {@link org.spikeloop.server.engine.Decoder} it steps ({@link
 * org.spikeloop.server.engine.NetworkDecoder} over the float32 kernel) and the {@link
 * org.spikeloop.server.engine.Learner} it calls after each step ({@link
 * org.spikeloop.server.engine.EpropLearner}); the rings it reads ({@link
 * org.spikeloop.server.engine.SampleRing}: samples and labels; {@link
 * org.spikeloop.server.engine.TrialEventRing}: trial windows; one producer each, positions kept by
 * {@link org.spikeloop.server.engine.SpscPositions}) and writes ({@link
 * org.spikeloop.server.engine.FrameRing}: a seqlock ring every reader follows with its own cursor);
 * the {@link org.spikeloop.server.engine.FramePublisher} that fans frames out to watchers; the
 * commands other threads send it; its counters and latency records.
 *
 * <p>Threads: the engine agent runs on one engine-pool thread, which owns the session from creation
 * to stop; the watchers' publisher on the delivery thread, which the engine wakes after publishing
 * (co-located), or on the publishers' pool thread. The engine applies its session's {@link
 * org.spikeloop.server.engine.LiveEdge} at the start of each cycle. Other threads reach the engine
 * only through its bounded command queue ({@link org.spikeloop.server.engine.EngineCommand},
 * replies completed on the engine thread and continued elsewhere), the rings, and volatile
 * read-only views. Allocation: none per step or per idle cycle, no lock and no logging there (0 B
 * per step is a test, {@code EngineAgentTest}); the latency timers and counters are held from
 * creation, never looked up. Commands are control plane and may allocate.
 *
 * <p>May import: nothing of the server (layer 0); {@code snn.kernel}, {@code snn.params}, {@code
 * snn.spec}, {@code learn.eprop} (the float learner), Agrona, HdrHistogram and Micrometer's {@code
 * Timer} type. Never {@code io}, {@code session} or {@code grpc}: they build on the engine, and the
 * rings stay here for that reason (docs/architecture.md).
 */
package org.spikeloop.server.engine;
