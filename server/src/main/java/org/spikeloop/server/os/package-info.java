/**
 * Linux thread tuning through libc ({@link org.spikeloop.server.os.LibC}, JNA): the real-time
 * {@code SCHED_FIFO} policy an engine thread may take ({@link
 * org.spikeloop.server.os.RealtimeScheduling}), the timer slack of the pool threads ({@link
 * org.spikeloop.server.os.TimerSlack}) and the nice value of the job threads ({@link
 * org.spikeloop.server.os.ThreadNice}); and the one process-wide request, the CPU wake-up latency
 * ({@link org.spikeloop.server.os.CpuWakeLatency}, {@code /dev/cpu_dma_latency}), which the session
 * manager holds while sessions run. Where the call is refused (not Linux, no capability) the thread
 * stays as it was and the caller gets the reason or a sentinel value, never an exception.
 *
 * <p>Threads: each thread call affects only the calling thread, once, when that thread starts
 * (control plane); the wake-up latency request affects every CPU of the machine while it is held.
 * None of it runs on a hot path.
 *
 * <p>May import: JNA; nothing of the server (layer 0). Imported by {@code session} (the agent
 * pools) and {@code jobs} (the job executor).
 */
package org.spikeloop.server.os;
