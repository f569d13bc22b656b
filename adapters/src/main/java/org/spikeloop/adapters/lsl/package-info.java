/**
 * The Lab Streaming Layer through JNA: liblsl found and loaded once ({@link
 * org.spikeloop.adapters.lsl.LiblslLocator}, {@link org.spikeloop.adapters.lsl.Lsl}), stream
 * discovery ({@link org.spikeloop.adapters.lsl.Resolver}, {@link
 * org.spikeloop.adapters.lsl.ContinuousResolver}), {@link org.spikeloop.adapters.lsl.Inlet}s and
 * {@link org.spikeloop.adapters.lsl.Outlet}s over caller-owned row-major arrays, stream
 * descriptions, and the per-sample checks a source applies ({@link
 * org.spikeloop.adapters.lsl.NonFiniteFilter}, {@link org.spikeloop.adapters.lsl.GapDetector}). The
 * bench module adds {@code LslPollBenchmark} and {@code LslPushBenchmark} to this package (to reach
 * the array binding).
 *
 * <p>Threads: none of its own; liblsl runs its own. An inlet is owned by the thread that pulls it
 * (a session's LSL source agent), except {@code timeCorrectionS}, which a recorder thread may call;
 * an outlet by the thread that pushes it; discovery blocks and belongs to the control plane.
 * Allocation: float and double chunk pulls go through native buffers the inlet keeps ({@link
 * org.spikeloop.adapters.lsl.LslChunkNative}) and allocate nothing per poll; numeric pushes
 * allocate nothing; the other formats and strings allocate.
 *
 * <p>May import: the JDK, JNA, the JDK's XML parser and {@link org.spikeloop.adapters.venv} (where
 * liblsl's virtualenv is). Nothing else of the project: {@code adapters.xdf}, the server and the
 * application import it.
 */
package org.spikeloop.adapters.lsl;
