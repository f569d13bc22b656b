package org.spikeloop.server.io;

import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.signal.FrontEndChain;

/**
 * Where a session's source samples enter its input ring: straight through, or through the session's
 * front-end ({@link FrontEndChain}: spike binning, band-pass, band power, normalisation). The
 * front-end runs here, on the producer side of the ring, so that
 *
 * <ul>
 *   <li>the front-end state has exactly one writer — the ring's single producer (the LSL source
 *       agent, or the one open gRPC sample stream; streams hand over through the session's stream
 *       claim, whose compare-and-set orders one stream's writes before the next's);
 *   <li>the engine stays as it is: every ring row is one decoder step, and e-prop's presynaptic
 *       input is the decoder's input (the features), not the raw samples;
 *   <li>deadline accounting stays right with decimation: a feature row is offered with the source
 *       stamp and the arrival time of the LAST source sample it consumed, and the engine's deadline
 *       is that arrival + the decoder's dt.
 * </ul>
 *
 * <p>Threading: the ring's producer thread only. Allocation: none per sample (the chain and the
 * feature row are preallocated).
 */
public final class FrontEndFeed {
    private final SampleRing ring;
    private final FrontEndChain chain; // null: samples go to the ring as they are
    private final float[] features;

    /**
     * @param chain the session's front-end, or null; its output width must be the ring's width
     */
    public FrontEndFeed(SampleRing ring, FrontEndChain chain) {
        if (chain != null && chain.outputChannels() != ring.width()) {
            throw new IllegalArgumentException(
                    "front-end emits "
                            + chain.outputChannels()
                            + " values per frame, the input ring holds "
                            + ring.width());
        }
        this.ring = ring;
        this.chain = chain;
        this.features = chain == null ? null : new float[chain.outputChannels()];
    }

    /** Values per source sample. */
    int sourceWidth() {
        return chain == null ? ring.width() : chain.inputChannels();
    }

    /**
     * Hands one finite source sample on.
     *
     * @param sample {@link #sourceWidth()} values (not modified)
     * @return false only when a row was due and the ring was full (the row is lost; count it)
     */
    boolean offer(float[] sample, double sourceTimestampS, long arrivalNs) {
        if (chain == null) {
            return ring.offer(sample, 0, sourceTimestampS, arrivalNs);
        }
        if (!chain.accept(sample, features)) {
            return true; // consumed; no decoder step due yet
        }
        return ring.offer(features, 0, sourceTimestampS, arrivalNs);
    }
}
