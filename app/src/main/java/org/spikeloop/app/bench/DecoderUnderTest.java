package org.spikeloop.app.bench;

/**
 * One decoder in the decoding benchmark, driven frame by frame through the evaluation stream.
 *
 * <p>Each frame carries the spike counts of one frame period and the true (intended) velocity
 * averaged over it; adaptive decoders may learn from it, frozen ones ignore it. At the end of each
 * evaluation bin the harness reads {@link #estimate}. Single-threaded.
 */
interface DecoderUnderTest {
    /** Name used in the JSON, the plot and the table. */
    String name();

    /**
     * Consumes one frame.
     *
     * @param counts spike counts per unit over the frame (not modified)
     * @param velocity true velocity over the frame, m/s (not modified)
     */
    void frame(float[] counts, double[] velocity);

    /** Writes the current velocity estimate (m/s) into {@code out} (modified). */
    void estimate(double[] out);
}
