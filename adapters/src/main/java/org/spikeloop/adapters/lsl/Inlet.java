package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * Receives one LSL stream. Chunked pulls write into caller-owned, preallocated arrays (row-major:
 * sample-major, channel-minor) and return the number of whole samples written; a timeout of 0
 * returns what is already buffered. Time stamps are the sender's clock unless {@link
 * PostProcessing#CLOCK_SYNC} is set; {@link #timeCorrectionS} gives the offset to this machine's
 * clock and records the last value obtained.
 *
 * <p>Float, double and string pulls go through native memory the inlet keeps ({@link
 * LslChunkNative}): a poll copies only the samples written and, if it returns nothing, allocates
 * nothing (a string pull allocates the Java strings it returns). The other numeric formats pass the
 * caller's arrays to JNA (copied in full each way, plus JNA's boxing of the {@code unsigned long}
 * result). Owned by one thread (the source agent), except {@link #timeCorrectionS}, which a
 * recorder thread may call.
 */
public final class Inlet implements AutoCloseable {
    private final Pointer handle;
    private final StreamInfo info;
    private final int channels;
    private final int[] ec = new int[1];
    private final int[] ecCorrection = new int[1];
    private final NativeLong dataElements = new NativeLong();
    private final NativeLong stampElements = new NativeLong();
    private final PullBuffers pullBuffers = new PullBuffers();
    private volatile double lastTimeCorrectionS = Double.NaN;
    private Memory stringPointers;
    private int[] stringLengths;
    private boolean closed;
    private final boolean recovers;
    private boolean started; // liblsl's data thread runs: open() or a pull started it

    /** Creates an inlet on a resolved stream (or a fully specified one); does not connect yet. */
    public Inlet(StreamInfo info, InletConfig config) {
        Lsl.load();
        this.info = info;
        this.channels = info.channelCount();
        this.recovers = config.recover();
        Pointer nativeInfo = info.toNative();
        try {
            this.handle =
                    LslNative.lsl_create_inlet(
                            nativeInfo,
                            config.maxBufferS(),
                            config.maxChunkSamples(),
                            config.recover() ? 1 : 0);
        } finally {
            LslNative.lsl_destroy_streaminfo(nativeInfo);
        }
        if (handle == null) {
            throw new IllegalStateException(
                    "lsl_create_inlet failed for " + info + ": " + LslNative.lsl_last_error());
        }
        int rc = LslNative.lsl_set_postprocessing(handle, config.postprocessingFlags());
        if (rc != 0) {
            LslNative.lsl_destroy_inlet(handle);
            LslException.check(rc, "lsl_set_postprocessing");
        }
    }

    /** liblsl's handle (this package's benchmarks call liblsl directly). */
    Pointer handle() {
        return handle;
    }

    /** The info this inlet was created from (short form: no {@code desc}). */
    public StreamInfo info() {
        return info;
    }

    /** The stream's full info including {@code desc} (channel labels); blocks up to the timeout. */
    public StreamInfo fullInfo(double timeoutS) {
        int[] err = new int[1];
        Pointer p = LslNative.lsl_get_fullinfo(handle, timeoutS, err);
        LslException.check(err[0], "lsl_get_fullinfo of '" + info.name() + "'");
        try {
            return StreamInfo.fromNative(p);
        } finally {
            LslNative.lsl_destroy_streaminfo(p);
        }
    }

    /** Subscribes to the data; samples pushed from now on are queued. */
    public void open(double timeoutS) {
        int[] err = new int[1];
        LslNative.lsl_open_stream(handle, timeoutS, err);
        LslException.check(err[0], "lsl_open_stream of '" + info.name() + "'");
        started = true;
    }

    /** Drops the subscription and every buffered sample. */
    public void closeStream() {
        LslNative.lsl_close_stream(handle);
        started = false;
    }

    /**
     * Seconds to add to the sender's stamps to map them to this machine's {@link
     * Lsl#localClockS()}. The first call takes a few ms; later calls return the background
     * estimate. Throws {@link LslException} of kind TIMEOUT when no estimate arrives in time (the
     * last value is kept). Thread-safe with respect to the pulling thread.
     */
    public synchronized double timeCorrectionS(double timeoutS) {
        double value = LslNative.lsl_time_correction(handle, timeoutS, ecCorrection);
        LslException.check(ecCorrection[0], "lsl_time_correction of '" + info.name() + "'");
        lastTimeCorrectionS = value;
        return value;
    }

    /** The last time correction obtained, or NaN if none yet. */
    public double lastTimeCorrectionS() {
        return lastTimeCorrectionS;
    }

    public int samplesAvailable() {
        return LslNative.lsl_samples_available(handle);
    }

    /** Drops queued samples; returns how many were dropped. */
    public int flush() {
        return LslNative.lsl_inlet_flush(handle);
    }

    /** True if the sender's clock may have been reset since the previous call. */
    public boolean wasClockReset() {
        return LslNative.lsl_was_clock_reset(handle) != 0;
    }

    private int capacity(int dataLength, double[] timestamps) {
        if (closed) {
            throw new IllegalStateException("inlet of '" + info.name() + "' is closed");
        }
        int samples = Math.min(dataLength / channels, timestamps.length);
        if (samples < 1) {
            throw new IllegalArgumentException(
                    "pull buffers: need room for at least one sample of "
                            + channels
                            + " channels (data length "
                            + dataLength
                            + ", timestamps length "
                            + timestamps.length
                            + ")");
        }
        return samples;
    }

    /** Sizes for the {@link LslNative} pulls (NativeLong boxes: not on the polling hot path). */
    private void arrayPullElements(int samples) {
        dataElements.setValue((long) samples * channels);
        stampElements.setValue(samples);
    }

    private void requireNumeric() {
        if (!info.format().isNumeric()) {
            throw new IllegalStateException(
                    "stream '"
                            + info.name()
                            + "' has channel_format string; numbers were expected");
        }
    }

    private int samplesWritten(long elements, int err, String op) {
        if (err != 0) {
            LslException.check(err, op + " of '" + info.name() + "'");
        }
        return (int) (elements / channels);
    }

    private int samplesWritten(NativeLong elements, String op) {
        int err = ec[0];
        if (err != 0) {
            ec[0] = 0;
            LslException.check(err, op + " of '" + info.name() + "'");
        }
        return (int) (elements.longValue() / channels);
    }

    /**
     * One pull of {@code samples} into the native buffers ({@link LslChunkNative}: float elements
     * for {@code elementBytes} 4, double for 8); returns the samples written.
     */
    private int pullIntoBuffers(int samples, int elementBytes, double timeoutS) {
        long elements = (long) samples * channels;
        Memory out = pullBuffers.data(elements * elementBytes);
        Memory stamps = pullBuffers.stamps(samples);
        Memory err = pullBuffers.clearedErrorCode();
        boolean floats = elementBytes == Float.BYTES;
        long written =
                floats
                        ? LslChunkNative.lsl_pull_chunk_f(
                                handle, out, stamps, elements, samples, timeoutS, err)
                        : LslChunkNative.lsl_pull_chunk_d(
                                handle, out, stamps, elements, samples, timeoutS, err);
        return samplesWritten(
                written, pullBuffers.errorCode(), floats ? "lsl_pull_chunk_f" : "lsl_pull_chunk_d");
    }

    /** Pulls up to {@code min(data.length / channels, timestamps.length)} samples. */
    public int pullChunk(float[] data, double[] timestamps, double timeoutS) {
        requireNumeric();
        int samples = capacity(data.length, timestamps);
        if (LslChunkNative.AVAILABLE) {
            int n = pullIntoBuffers(samples, Float.BYTES, timeoutS);
            pullBuffers.data().read(0, data, 0, n * channels);
            pullBuffers.readStamps(timestamps, n);
            return n;
        }
        arrayPullElements(samples);
        return samplesWritten(
                LslNative.lsl_pull_chunk_f(
                        handle, data, timestamps, dataElements, stampElements, timeoutS, ec),
                "lsl_pull_chunk_f");
    }

    public int pullChunk(double[] data, double[] timestamps, double timeoutS) {
        requireNumeric();
        int samples = capacity(data.length, timestamps);
        if (LslChunkNative.AVAILABLE) {
            int n = pullIntoBuffers(samples, Double.BYTES, timeoutS);
            pullBuffers.data().read(0, data, 0, n * channels);
            pullBuffers.readStamps(timestamps, n);
            return n;
        }
        arrayPullElements(samples);
        return samplesWritten(
                LslNative.lsl_pull_chunk_d(
                        handle, data, timestamps, dataElements, stampElements, timeoutS, ec),
                "lsl_pull_chunk_d");
    }

    public int pullChunk(long[] data, double[] timestamps, double timeoutS) {
        requireNumeric();
        arrayPullElements(capacity(data.length, timestamps));
        return samplesWritten(
                LslNative.lsl_pull_chunk_l(
                        handle, data, timestamps, dataElements, stampElements, timeoutS, ec),
                "lsl_pull_chunk_l");
    }

    public int pullChunk(int[] data, double[] timestamps, double timeoutS) {
        requireNumeric();
        arrayPullElements(capacity(data.length, timestamps));
        return samplesWritten(
                LslNative.lsl_pull_chunk_i(
                        handle, data, timestamps, dataElements, stampElements, timeoutS, ec),
                "lsl_pull_chunk_i");
    }

    public int pullChunk(short[] data, double[] timestamps, double timeoutS) {
        requireNumeric();
        arrayPullElements(capacity(data.length, timestamps));
        return samplesWritten(
                LslNative.lsl_pull_chunk_s(
                        handle, data, timestamps, dataElements, stampElements, timeoutS, ec),
                "lsl_pull_chunk_s");
    }

    public int pullChunk(byte[] data, double[] timestamps, double timeoutS) {
        requireNumeric();
        arrayPullElements(capacity(data.length, timestamps));
        return samplesWritten(
                LslNative.lsl_pull_chunk_c(
                        handle, data, timestamps, dataElements, stampElements, timeoutS, ec),
                "lsl_pull_chunk_c");
    }

    /**
     * Pulls string samples (UTF-8, may contain NUL) into {@code data}. Works on any format (numbers
     * arrive as their text). Every string liblsl allocated is freed here: up to liblsl 1.17 it
     * allocates one for every slot of the buffer on each call, written or not. Through {@link
     * LslChunkNative} a pull that returns nothing allocates nothing on the Java heap; each string
     * received becomes a Java {@code String}.
     *
     * <p>liblsl's string pull allocates even when nothing arrived (a vector of the buffer's size;
     * up to 1.17 a string per slot), in C, on the caller's thread. So a poll without timeout of an
     * open inlet with recovery on first asks {@code lsl_samples_available} (a lock-free read of the
     * inlet's queue) and returns 0 at once when nothing is queued. Without recovery it always
     * pulls: only the pull reports a lost stream.
     */
    public int pullChunk(String[] data, double[] timestamps, double timeoutS) {
        int samples = capacity(data.length, timestamps);
        if (timeoutS == 0.0
                && recovers
                && started
                && LslNative.lsl_samples_available(handle) == 0) {
            return 0; // nothing queued: no pull, which would allocate in liblsl
        }
        started = true;
        if (!LslChunkNative.AVAILABLE) {
            return pullStringsThroughArrays(data, timestamps, samples, timeoutS);
        }
        long elements = (long) samples * channels;
        Memory slots = pullBuffers.clearedStringSlots(elements);
        Memory stamps = pullBuffers.stamps(samples);
        Memory err = pullBuffers.clearedErrorCode();
        long written =
                LslChunkNative.lsl_pull_chunk_buf(
                        handle,
                        slots,
                        pullBuffers.stringLengths(),
                        stamps,
                        elements,
                        samples,
                        timeoutS,
                        err);
        int error = pullBuffers.errorCode();
        if (error != 0) {
            pullBuffers.abandonStrings();
            return samplesWritten(0, error, "lsl_pull_chunk_buf");
        }
        int n = (int) written;
        try {
            for (int i = 0; i < n; i++) {
                data[i] = pullBuffers.string(i);
            }
        } finally {
            pullBuffers.destroyStrings();
        }
        pullBuffers.readStamps(timestamps, n / channels);
        return n / channels;
    }

    /**
     * {@link #pullChunk(String[], double[], double)} where {@link LslChunkNative} is unavailable.
     */
    private int pullStringsThroughArrays(
            String[] data, double[] timestamps, int samples, double timeoutS) {
        arrayPullElements(samples);
        int elements = samples * channels;
        if (stringPointers == null || stringLengths.length < elements) {
            stringPointers = new Memory((long) elements * Native.POINTER_SIZE);
            stringLengths = new int[elements];
        }
        stringPointers.clear();
        NativeLong written =
                LslNative.lsl_pull_chunk_buf(
                        handle,
                        stringPointers,
                        stringLengths,
                        timestamps,
                        dataElements,
                        stampElements,
                        timeoutS,
                        ec);
        if (ec[0] != 0) { // liblsl allocated nothing, or freed what it had
            return samplesWritten(written, "lsl_pull_chunk_buf");
        }
        int n = (int) written.longValue();
        try {
            for (int i = 0; i < n; i++) {
                Pointer s = stringPointers.getPointer((long) i * Native.POINTER_SIZE);
                data[i] =
                        s == null
                                ? ""
                                : new String(
                                        s.getByteArray(0, stringLengths[i]),
                                        StandardCharsets.UTF_8);
            }
        } finally {
            for (int i = 0; i < elements; i++) { // up to liblsl 1.17 every slot, written or not
                Pointer s = stringPointers.getPointer((long) i * Native.POINTER_SIZE);
                if (s != null) {
                    LslNative.lsl_destroy_string(s);
                }
            }
        }
        return samplesWritten(written, "lsl_pull_chunk_buf");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LslNative.lsl_destroy_inlet(handle);
        }
    }
}
