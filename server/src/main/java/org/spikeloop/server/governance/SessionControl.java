package org.spikeloop.server.governance;

import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * What governance needs from a live session: its architecture, a copy of its live weights, and
 * loading weights into it. Implemented over the server's engine commands by {@link
 * EngineSessionControl}; the seam keeps governance testable against a real engine without the gRPC
 * layer.
 *
 * <p>Threading: blocking calls from the governor's background thread, never the engine's.
 */
public interface SessionControl {
    String sessionId();

    NetworkSpec spec();

    /**
     * A copy of the live weights.
     *
     * @throws IllegalArgumentException when the live weights are not valid parameters (e.g. a
     *     non-finite value): a guard event
     */
    NetworkParams exportLive();

    /**
     * Replaces the live weights; {@code checkpointId} becomes the engine's active checkpoint. Works
     * when the current live weights are non-finite (they are dropped, never kept).
     */
    void load(NetworkParams params, String checkpointId);

    /** The content id of the weights the engine loaded last ("" for a fresh initialisation). */
    String activeCheckpointId();

    /**
     * The live weights were just registered as {@code checkpointId} (a snapshot): it becomes the
     * engine's active checkpoint, as it became the registry's ACTIVE role; the weights do not
     * change.
     */
    void markActive(String checkpointId);

    /** Decoder steps so far (shows that decoding continues). */
    long steps();

    /**
     * The session's governance meters, registered when the session was created; governance updates
     * them and registers none of its own.
     */
    GovernanceMetrics governanceMeters();
}
