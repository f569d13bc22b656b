package org.spikeloop.adapters.xdf;

import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.LslException;

/**
 * Where a recorded stream's clock offset comes from: the seconds to add to its stamps to map them
 * to the recorder's LSL clock, or NaN when no estimate is available in time (then no ClockOffset
 * chunk is written: a timed-out query never produces an uninitialised offset).
 */
@FunctionalInterface
public interface ClockOffsetSource {
    double offsetS(double timeoutS);

    /** Streams stamped with this machine's LSL clock (our own outputs): offset 0. */
    static ClockOffsetSource local() {
        return timeoutS -> 0.0;
    }

    /** The inlet's time correction; NaN when it times out or the stream is lost. */
    static ClockOffsetSource of(Inlet inlet) {
        return timeoutS -> {
            try {
                return inlet.timeCorrectionS(timeoutS);
            } catch (LslException e) {
                return Double.NaN;
            }
        };
    }
}
