package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;

/**
 * The native memory one inlet's chunked pulls write into ({@link LslChunkNative}): data and time
 * stamps grown to the largest chunk asked for, and the error code. Reused across pulls, so a poll
 * allocates nothing once the buffers have their size.
 *
 * <p>Threading: owned by the inlet's pulling thread.
 */
final class PullBuffers {
    private final Memory ec = new Memory(Integer.BYTES);
    private Memory data;
    private Memory stamps;

    /** Data memory of at least {@code bytes}. */
    Memory data(long bytes) {
        if (data == null || data.size() < bytes) {
            data = new Memory(bytes);
        }
        return data;
    }

    /** The data memory of the last pull. */
    Memory data() {
        return data;
    }

    /** Time-stamp memory for at least {@code samples}. */
    Memory stamps(int samples) {
        long bytes = (long) samples * Double.BYTES;
        if (stamps == null || stamps.size() < bytes) {
            stamps = new Memory(bytes);
        }
        return stamps;
    }

    /** The error-code cell, cleared for the next call. */
    Memory clearedErrorCode() {
        ec.setInt(0, 0);
        return ec;
    }

    int errorCode() {
        return ec.getInt(0);
    }

    /** Copies the first {@code samples} time stamps written by the last pull. */
    void readStamps(double[] timestamps, int samples) {
        stamps.read(0, timestamps, 0, samples);
    }
}
