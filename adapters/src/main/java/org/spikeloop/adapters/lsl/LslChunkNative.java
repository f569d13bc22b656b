package org.spikeloop.adapters.lsl;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * liblsl's chunked pulls of the formats decoders read ({@code float}, {@code double}), bound with
 * native buffers and C {@code unsigned long} as Java {@code long}, for the polling hot path.
 *
 * <p>Why a second binding: through {@link LslNative}, a pull passes Java arrays, which JNA copies
 * in full into C memory and back on every call (a 256-sample × 96-channel poll that returns nothing
 * still moved 2 × 98 KB, 6.4 µs), and its {@link com.sun.jna.NativeLong} arguments and result are
 * converted through reflection (88 B of garbage per poll; LslPollBenchmark in the bench module).
 * Here liblsl writes into {@link com.sun.jna.Memory} the caller keeps, and only the samples written
 * are copied out; no Java object is created. {@code long} for {@code unsigned long} holds on LP64
 * platforms (Linux, macOS) only, so {@link #AVAILABLE} gates it and other platforms keep {@link
 * LslNative}'s path.
 */
@SuppressWarnings({"checkstyle:MethodName", "unused"})
final class LslChunkNative {
    /** C {@code long} is 64 bits wide (LP64): the only ABI these signatures are right for. */
    static final boolean AVAILABLE = Native.LONG_SIZE == Long.BYTES;

    private LslChunkNative() {}

    static void register(NativeLibrary library) {
        if (AVAILABLE) {
            Native.register(LslChunkNative.class, library);
        }
    }

    // inlet.h: unsigned long lsl_pull_chunk_f(lsl_inlet, float*, double*, unsigned long,
    //          unsigned long, double, int32_t*)
    static native long lsl_pull_chunk_f(
            Pointer inlet,
            Pointer data,
            Pointer timestamps,
            long dataElements,
            long timestampElements,
            double timeout,
            Pointer ec);

    static native long lsl_pull_chunk_d(
            Pointer inlet,
            Pointer data,
            Pointer timestamps,
            long dataElements,
            long timestampElements,
            double timeout,
            Pointer ec);
}
