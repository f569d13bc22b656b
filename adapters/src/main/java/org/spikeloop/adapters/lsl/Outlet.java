package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * Publishes one LSL stream. Each {@code pushChunk} sends {@code samples} row-major samples with one
 * time stamp each (LSL clock, seconds) and pushes them through at once. {@link #pushFiniteChunk}
 * first removes samples holding NaN or ±Inf (counted in {@link #nonFinite()}) so they never reach
 * the network. Numeric pushes allocate nothing of their own (the element count goes to liblsl as a
 * {@code long} through {@link LslChunkNative}; only where that binding is unavailable is it a
 * {@code NativeLong}, boxed above 127); {@code float} and {@code double} pushes copy the samples
 * pushed into native memory the outlet keeps ({@link PushBuffers}) rather than have JNA copy the
 * whole arrays to C and back; string pushes allocate native copies. Owned by one thread (the
 * publisher agent).
 */
public final class Outlet implements AutoCloseable {
    private final Pointer handle;
    private final StreamInfo info;
    private final int channels;
    private final NativeLong elements = new NativeLong();
    private final NonFiniteFilter nonFinite;
    private final PushBuffers pushBuffers = new PushBuffers();
    private boolean closed;

    /**
     * @param chunkSamples transmission granularity in samples (0: each push is one chunk)
     * @param maxBufferedS seconds of data buffered per consumer before the oldest is dropped
     */
    public Outlet(StreamInfo info, int chunkSamples, int maxBufferedS) {
        Lsl.load();
        if (chunkSamples < 0 || maxBufferedS < 1) {
            throw new IllegalArgumentException(
                    "outlet: chunkSamples must be >= 0 and maxBufferedS >= 1, got "
                            + chunkSamples
                            + " and "
                            + maxBufferedS);
        }
        this.info = info;
        this.channels = info.channelCount();
        this.nonFinite = new NonFiniteFilter(channels);
        Pointer nativeInfo = info.toNative();
        try {
            this.handle = LslNative.lsl_create_outlet(nativeInfo, chunkSamples, maxBufferedS);
        } finally {
            LslNative.lsl_destroy_streaminfo(nativeInfo);
        }
        if (handle == null) {
            throw new IllegalStateException(
                    "lsl_create_outlet failed for " + info + ": " + LslNative.lsl_last_error());
        }
    }

    /** An outlet with sender-side chunking off and a 360 s buffer. */
    public Outlet(StreamInfo info) {
        this(info, 0, 360);
    }

    public StreamInfo info() {
        return info;
    }

    /** The liblsl outlet (for LslPushBenchmark's comparison with the array binding). */
    Pointer handle() {
        return handle;
    }

    /** The info as liblsl publishes it (with uid and hostname). */
    public StreamInfo publishedInfo() {
        Pointer p = LslNative.lsl_get_info(handle);
        try {
            return StreamInfo.fromNative(p);
        } finally {
            LslNative.lsl_destroy_streaminfo(p);
        }
    }

    public boolean haveConsumers() {
        return LslNative.lsl_have_consumers(handle) != 0;
    }

    /** Blocks until an inlet connects or the timeout passes; true if one did. */
    public boolean waitForConsumers(double timeoutS) {
        return LslNative.lsl_wait_for_consumers(handle, timeoutS) != 0;
    }

    /** Samples (and their values) removed by {@link #pushFiniteChunk}. */
    public NonFiniteFilter nonFinite() {
        return nonFinite;
    }

    /**
     * Checks a push and returns its element count. Where {@link LslChunkNative} serves, the count
     * goes to liblsl as a {@code long}; elsewhere it is set into the outlet's {@code NativeLong}
     * ({@link #nativeElements}), which boxes counts above 127.
     */
    private long check(int dataLength, double[] timestamps, int samples, boolean numeric) {
        if (closed) {
            throw new IllegalStateException("outlet of '" + info.name() + "' is closed");
        }
        if (numeric != info.format().isNumeric()) {
            throw new IllegalArgumentException(
                    "stream '"
                            + info.name()
                            + "' has channel_format "
                            + info.format().xmlName()
                            + (numeric ? "; cannot push numbers" : "; cannot push strings"));
        }
        if (samples < 0 || (long) samples * channels > dataLength || samples > timestamps.length) {
            throw new IllegalArgumentException(
                    "push: "
                            + samples
                            + " samples of "
                            + channels
                            + " channels do not fit data length "
                            + dataLength
                            + " / timestamps length "
                            + timestamps.length);
        }
        return (long) samples * channels;
    }

    /** {@code n} in the outlet's {@code NativeLong}, for {@link LslNative}'s pushes. */
    private NativeLong nativeElements(long n) {
        elements.setValue(n);
        return elements;
    }

    /** Pushes {@code samples} float samples with their stamps. */
    public void pushChunk(float[] data, double[] timestamps, int samples) {
        long n = check(data.length, timestamps, samples, true);
        if (samples > 0) {
            LslException.check(
                    LslChunkNative.AVAILABLE
                            ? LslChunkNative.lsl_push_chunk_ftnp(
                                    handle,
                                    pushBuffers.data(data, n),
                                    n,
                                    pushBuffers.stamps(timestamps, samples),
                                    1)
                            : LslNative.lsl_push_chunk_ftnp(
                                    handle, data, nativeElements(n), timestamps, 1),
                    "lsl_push_chunk_ftnp");
        }
    }

    /**
     * Removes samples holding non-finite values (in place, keeping order), counts them, and pushes
     * the rest. Returns the number of samples pushed.
     */
    public int pushFiniteChunk(float[] data, double[] timestamps, int samples) {
        int kept = nonFinite.compact(data, timestamps, samples);
        pushChunk(data, timestamps, kept);
        return kept;
    }

    public void pushChunk(double[] data, double[] timestamps, int samples) {
        long n = check(data.length, timestamps, samples, true);
        if (samples > 0) {
            LslException.check(
                    LslChunkNative.AVAILABLE
                            ? LslChunkNative.lsl_push_chunk_dtnp(
                                    handle,
                                    pushBuffers.data(data, n),
                                    n,
                                    pushBuffers.stamps(timestamps, samples),
                                    1)
                            : LslNative.lsl_push_chunk_dtnp(
                                    handle, data, nativeElements(n), timestamps, 1),
                    "lsl_push_chunk_dtnp");
        }
    }

    public void pushChunk(long[] data, double[] timestamps, int samples) {
        long n = check(data.length, timestamps, samples, true);
        if (samples > 0) {
            LslException.check(
                    LslChunkNative.AVAILABLE
                            ? LslChunkNative.lsl_push_chunk_ltnp(handle, data, n, timestamps, 1)
                            : LslNative.lsl_push_chunk_ltnp(
                                    handle, data, nativeElements(n), timestamps, 1),
                    "lsl_push_chunk_ltnp");
        }
    }

    public void pushChunk(int[] data, double[] timestamps, int samples) {
        long n = check(data.length, timestamps, samples, true);
        if (samples > 0) {
            LslException.check(
                    LslChunkNative.AVAILABLE
                            ? LslChunkNative.lsl_push_chunk_itnp(handle, data, n, timestamps, 1)
                            : LslNative.lsl_push_chunk_itnp(
                                    handle, data, nativeElements(n), timestamps, 1),
                    "lsl_push_chunk_itnp");
        }
    }

    public void pushChunk(short[] data, double[] timestamps, int samples) {
        long n = check(data.length, timestamps, samples, true);
        if (samples > 0) {
            LslException.check(
                    LslChunkNative.AVAILABLE
                            ? LslChunkNative.lsl_push_chunk_stnp(handle, data, n, timestamps, 1)
                            : LslNative.lsl_push_chunk_stnp(
                                    handle, data, nativeElements(n), timestamps, 1),
                    "lsl_push_chunk_stnp");
        }
    }

    public void pushChunk(byte[] data, double[] timestamps, int samples) {
        long n = check(data.length, timestamps, samples, true);
        if (samples > 0) {
            LslException.check(
                    LslChunkNative.AVAILABLE
                            ? LslChunkNative.lsl_push_chunk_ctnp(handle, data, n, timestamps, 1)
                            : LslNative.lsl_push_chunk_ctnp(
                                    handle, data, nativeElements(n), timestamps, 1),
                    "lsl_push_chunk_ctnp");
        }
    }

    /** Pushes string samples (sent as UTF-8 bytes, so any text including NUL survives). */
    public void pushChunk(String[] data, double[] timestamps, int samples) {
        long elementCount = check(data.length, timestamps, samples, false);
        int n = (int) elementCount;
        if (n == 0) {
            return;
        }
        Memory pointers = new Memory((long) n * Native.POINTER_SIZE);
        Memory[] keep = new Memory[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] bytes = data[i].getBytes(StandardCharsets.UTF_8);
            keep[i] = new Memory(Math.max(1, bytes.length));
            keep[i].write(0, bytes, 0, bytes.length);
            lengths[i] = bytes.length;
            pointers.setPointer((long) i * Native.POINTER_SIZE, keep[i]);
        }
        LslException.check(
                LslChunkNative.AVAILABLE
                        ? LslChunkNative.lsl_push_chunk_buftnp(
                                handle, pointers, lengths, elementCount, timestamps, 1)
                        : LslNative.lsl_push_chunk_buftnp(
                                handle,
                                pointers,
                                lengths,
                                nativeElements(elementCount),
                                timestamps,
                                1),
                "lsl_push_chunk_buftnp");
        // Keeps the native copies reachable until liblsl has copied them.
        java.lang.ref.Reference.reachabilityFence(keep);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LslNative.lsl_destroy_outlet(handle);
        }
    }
}
