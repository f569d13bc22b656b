package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;

/**
 * The native memory one outlet's {@code float} and {@code double} pushes pass to liblsl ({@link
 * LslChunkNative}): data and time stamps, grown to the largest chunk pushed and reused, so a push
 * copies only its samples into C memory, one way, and allocates nothing once the buffers have their
 * size. (A Java array passed to a native call is copied whole into C memory and back on every
 * call.)
 *
 * <p>Threading: owned by the outlet's pushing thread.
 */
final class PushBuffers {
    private Memory data;
    private Memory stamps;

    /** The first {@code elements} values of {@code values}, in native memory. */
    Memory data(float[] values, long elements) {
        Memory m = data(elements * Float.BYTES);
        m.write(0, values, 0, (int) elements);
        return m;
    }

    /** The first {@code elements} values of {@code values}, in native memory. */
    Memory data(double[] values, long elements) {
        Memory m = data(elements * Double.BYTES);
        m.write(0, values, 0, (int) elements);
        return m;
    }

    /** The first {@code samples} stamps, in native memory. */
    Memory stamps(double[] timestamps, int samples) {
        long bytes = (long) samples * Double.BYTES;
        if (stamps == null || stamps.size() < bytes) {
            stamps = new Memory(bytes);
        }
        stamps.write(0, timestamps, 0, samples);
        return stamps;
    }

    private Memory data(long bytes) {
        if (data == null || data.size() < bytes) {
            data = new Memory(bytes);
        }
        return data;
    }
}
