package org.spikeloop.signal;

/**
 * One causal stage (or a chain of stages) between a source stream and a decoder: it consumes one
 * input frame per source sample and emits an output frame at its own, possibly decimated, rate.
 *
 * <p>Contract for every implementation: single-threaded (one thread at a time feeds it; in a
 * session, the input ring's producer, not the engine); {@link #accept} allocates nothing, takes no
 * lock and does not log; rates are in Hz; the output frame depends only on the current and earlier
 * input frames (causal). Construction validates and may allocate (control plane).
 */
public interface FrontEnd {

    /** Channels per input frame. */
    int inputChannels();

    /** Values per output frame. */
    int outputChannels();

    /** Input sample rate in Hz. */
    double inputRateHz();

    /** Input frames consumed per output frame (&ge; 1; 1 = no decimation). */
    int decimation();

    /** Output frame rate in Hz: {@code inputRateHz() / decimation()}. */
    default double outputRateHz() {
        return inputRateHz() / decimation();
    }

    /**
     * Consumes one input frame.
     *
     * @param sample {@link #inputChannels()} values (not modified; may be longer)
     * @param out receives {@link #outputChannels()} values when this returns true (modified only
     *     then; may be longer)
     * @return true when a new output frame was written to {@code out}
     */
    boolean accept(float[] sample, float[] out);

    /** Returns to the state right after construction (filters, windows and statistics cleared). */
    void reset();
}
