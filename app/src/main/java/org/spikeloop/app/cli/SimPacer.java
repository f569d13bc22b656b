package org.spikeloop.app.cli;

import java.util.concurrent.locks.LockSupport;
import org.spikeloop.adapters.lsl.Lsl;

/**
 * Paces a simulation to the wall clock in chunks: a chunk is due when the time of its last sample
 * has come, and its samples are stamped on the LSL clock at the times they describe (start + sample
 * index / rate), so consumers see a regular stream even if a push is late, and never a stamp later
 * than {@code local_clock()} at the push (a sample is not pushed before the moment it describes).
 */
final class SimPacer {
    private final double startS;
    private final double sampleRateHz;
    private long samples;

    SimPacer(double sampleRateHz) {
        this.startS = Lsl.localClockS();
        this.sampleRateHz = sampleRateHz;
    }

    /** LSL time stamp of the next sample, and counts it. */
    double nextStampS() {
        return startS + samples++ / sampleRateHz;
    }

    /**
     * Sleeps until the wall clock reaches the time of the last of the next {@code chunk} samples,
     * so that none of them is stamped in the future when the chunk is pushed.
     */
    void awaitChunk(int chunk) {
        double dueS = startS + (samples + chunk - 1) / sampleRateHz;
        double waitS = dueS - Lsl.localClockS();
        if (waitS > 0) {
            LockSupport.parkNanos((long) (waitS * 1e9));
        }
    }

    /** Simulated seconds produced so far. */
    double elapsedS() {
        return samples / sampleRateHz;
    }
}
