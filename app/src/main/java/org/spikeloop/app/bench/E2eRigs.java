package org.spikeloop.app.bench;

import java.util.List;

/**
 * The rigs of an end-to-end run, one LSL stream of spikes per session: threads of the benchmark's
 * own process ({@link InProcessRigs}) or processes of their own ({@link ExternalRigs}), as rigs are
 * machines of their own in deployment.
 */
interface E2eRigs extends AutoCloseable {
    /** The LSL stream name of each rig, in session order. */
    List<String> streamNames();

    /** Starts pushing (in-process rigs; external ones push once their session's inlet connects). */
    void startPushing();

    /**
     * Stops every rig pushing and returns the samples each pushed once a consumer was connected (−1
     * where the rig does not say). A rig that counts keeps its outlet open until {@link #close}, so
     * what it pushed last still reaches its session while the benchmark waits for it.
     */
    long[] stop() throws Exception;

    /**
     * The rigs' processes, whose CPU the report gives apart ({@link MachineCpu}); none for rigs
     * that are threads of the benchmark's process (their CPU is its {@code bench} role).
     */
    List<ProcessHandle> processes();

    /** What the run reports about its rigs, e.g. {@code internal} or {@code external pylsl}. */
    String describe();

    @Override
    void close();
}
