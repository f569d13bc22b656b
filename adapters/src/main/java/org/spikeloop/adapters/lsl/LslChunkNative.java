package org.spikeloop.adapters.lsl;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * liblsl's chunked pulls of the formats the server polls ({@code float}, {@code double}, strings),
 * bound with native buffers and C {@code unsigned long} as Java {@code long}, and its chunked
 * pushes, with the element count as a {@code long}: the polling and publishing hot paths.
 *
 * <p>Why a second binding: through {@link LslNative}, a pull passes Java arrays, which JNA copies
 * in full into C memory and back on every call (a 256-sample × 96-channel poll that returns nothing
 * still moved 2 × 98 KB, 6.4 µs), and its {@link com.sun.jna.NativeLong} arguments and result are
 * converted through reflection (88 B of garbage per poll; LslPollBenchmark in the bench module): a
 * {@code NativeLong} result goes through {@code Native.fromNative} on every call (new objects and a
 * synchronized converter lookup), and setting a {@code NativeLong} argument boxes values above 127.
 * Here liblsl writes into {@link com.sun.jna.Memory} the caller keeps, and only the samples written
 * are copied out; no Java object is created. The {@code float} and {@code double} pushes (frames,
 * rigs) likewise take native memory the outlet keeps, into which only the samples pushed are
 * copied; the other numeric pushes keep their arrays (JNA copies each whole array into C memory and
 * back, off the Java heap). No push sets a {@code NativeLong}. {@code long} for {@code unsigned
 * long} (and, for {@link #lsl_destroy_string}, for a pointer) holds on LP64 platforms (Linux,
 * macOS) only, so {@link #AVAILABLE} gates it and other platforms keep {@link LslNative}'s path.
 */
@SuppressWarnings({"checkstyle:MethodName", "unused"})
final class LslChunkNative {
    /** C {@code long} and pointers are 64 bits wide (LP64): the only ABI these signatures fit. */
    static final boolean AVAILABLE =
            Native.LONG_SIZE == Long.BYTES && Native.POINTER_SIZE == Long.BYTES;

    private LslChunkNative() {}

    static void register(NativeLibrary library) {
        if (AVAILABLE) {
            Native.register(LslChunkNative.class, library);
        }
    }

    // common.h: void lsl_destroy_string(char *s), the address passed as a 64-bit integer (a
    // Pointer would have to be created per string freed)
    static native void lsl_destroy_string(long s);

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

    /**
     * inlet.h: {@code unsigned long lsl_pull_chunk_buf(lsl_inlet, char **data_buffer, uint32_t
     * *lengths_buffer, double*, unsigned long, unsigned long, double, int32_t*)}. Each string it
     * puts in a slot of {@code data} is the caller's to free with {@link #lsl_destroy_string}: up
     * to liblsl 1.17 <em>every</em> one of the {@code dataElements} slots, the empty string beyond
     * the elements written (so each call allocates them all), from 1.18 only the elements written.
     * When it fails it has allocated nothing, or freed what it had.
     */
    static native long lsl_pull_chunk_buf(
            Pointer inlet,
            Pointer data,
            Pointer lengths,
            Pointer timestamps,
            long dataElements,
            long timestampElements,
            double timeout,
            Pointer ec);

    // outlet.h: int32_t lsl_push_chunk_ftnp(lsl_outlet, const float*, unsigned long,
    //           const double*, int32_t); data and stamps in the outlet's native memory
    static native int lsl_push_chunk_ftnp(
            Pointer outlet, Pointer data, long dataElements, Pointer timestamps, int pushthrough);

    static native int lsl_push_chunk_dtnp(
            Pointer outlet, Pointer data, long dataElements, Pointer timestamps, int pushthrough);

    static native int lsl_push_chunk_ltnp(
            Pointer outlet, long[] data, long dataElements, double[] timestamps, int pushthrough);

    static native int lsl_push_chunk_itnp(
            Pointer outlet, int[] data, long dataElements, double[] timestamps, int pushthrough);

    static native int lsl_push_chunk_stnp(
            Pointer outlet, short[] data, long dataElements, double[] timestamps, int pushthrough);

    static native int lsl_push_chunk_ctnp(
            Pointer outlet, byte[] data, long dataElements, double[] timestamps, int pushthrough);

    // outlet.h: int32_t lsl_push_chunk_buftnp(lsl_outlet, const char **data, const uint32_t
    //           *lengths, unsigned long, const double*, int32_t)
    static native int lsl_push_chunk_buftnp(
            Pointer outlet,
            Pointer data,
            int[] lengths,
            long dataElements,
            double[] timestamps,
            int pushthrough);
}
