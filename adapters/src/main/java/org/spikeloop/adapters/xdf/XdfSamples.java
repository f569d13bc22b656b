package org.spikeloop.adapters.xdf;

import java.util.Arrays;
import org.spikeloop.adapters.lsl.ChannelFormat;

/**
 * Row-major sample values of one stream in the stream's own format, as the file stores them: {@code
 * float[]}, {@code double[]}, {@code byte[]}, {@code short[]}, {@code int[]}, {@code long[]} or
 * {@code String[]}. Grows while a file is read; read-only afterwards.
 */
public final class XdfSamples {
    private final ChannelFormat format;
    private final int channels;
    private Object values;
    private int count; // values stored (samples * channels)

    XdfSamples(ChannelFormat format, int channels) {
        this.format = format;
        this.channels = channels;
        this.values = newArray(format, 64L * channels);
    }

    static Object newArray(ChannelFormat format, long n) {
        int len = (int) Math.min(Integer.MAX_VALUE - 16, n);
        return switch (format) {
            case FLOAT32 -> new float[len];
            case DOUBLE64 -> new double[len];
            case INT8 -> new byte[len];
            case INT16 -> new short[len];
            case INT32 -> new int[len];
            case INT64 -> new long[len];
            case STRING -> new String[len];
        };
    }

    /** The array class that holds values of {@code format} (no allocation: called per chunk). */
    static Class<?> arrayClass(ChannelFormat format) {
        return switch (format) {
            case FLOAT32 -> float[].class;
            case DOUBLE64 -> double[].class;
            case INT8 -> byte[].class;
            case INT16 -> short[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
            case STRING -> String[].class;
        };
    }

    /**
     * Throws naming {@code what} unless {@code data} is the format's array with {@code n} values.
     */
    static void checkArray(ChannelFormat format, Object data, long n, String what) {
        Class<?> want = arrayClass(format);
        if (data == null || data.getClass() != want) {
            throw new IllegalArgumentException(
                    what
                            + ": channel_format "
                            + format.xmlName()
                            + " needs "
                            + want.getSimpleName()
                            + ", got "
                            + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        if (java.lang.reflect.Array.getLength(data) < n) {
            throw new IllegalArgumentException(
                    what
                            + ": need "
                            + n
                            + " values, array holds "
                            + java.lang.reflect.Array.getLength(data));
        }
    }

    /** Makes room for {@code more} values and returns the array to write at {@link #size()}. */
    Object reserve(int more) {
        int cap = java.lang.reflect.Array.getLength(values);
        if (count + more > cap) {
            long newCap = Math.max((long) count + more, cap * 2L);
            Object bigger = newArray(format, newCap);
            System.arraycopy(values, 0, bigger, 0, count);
            values = bigger;
        }
        return values;
    }

    void advance(int n) {
        count += n;
    }

    /** Drops the values beyond {@code samples} samples. */
    void truncateSamples(int samples) {
        count = Math.min(count, samples * channels);
    }

    public ChannelFormat format() {
        return format;
    }

    public int channels() {
        return channels;
    }

    public int sampleCount() {
        return count / channels;
    }

    /** Values stored (samples × channels). */
    public int size() {
        return count;
    }

    /** A trimmed copy of the values: the format's primitive array or {@code String[]}. */
    public Object toArray() {
        return switch (format) {
            case FLOAT32 -> Arrays.copyOf((float[]) values, count);
            case DOUBLE64 -> Arrays.copyOf((double[]) values, count);
            case INT8 -> Arrays.copyOf((byte[]) values, count);
            case INT16 -> Arrays.copyOf((short[]) values, count);
            case INT32 -> Arrays.copyOf((int[]) values, count);
            case INT64 -> Arrays.copyOf((long[]) values, count);
            case STRING -> Arrays.copyOf((String[]) values, count);
        };
    }

    /**
     * Numeric value of sample {@code s}, channel {@code c} as a double (exact except large int64).
     */
    public double doubleValue(int s, int c) {
        int i = s * channels + c;
        return switch (format) {
            case FLOAT32 -> ((float[]) values)[i];
            case DOUBLE64 -> ((double[]) values)[i];
            case INT8 -> ((byte[]) values)[i];
            case INT16 -> ((short[]) values)[i];
            case INT32 -> ((int[]) values)[i];
            case INT64 -> ((long[]) values)[i];
            case STRING -> throw new IllegalStateException("channel_format string is not numeric");
        };
    }

    /** Integer value (integer formats only). */
    public long longValue(int s, int c) {
        int i = s * channels + c;
        return switch (format) {
            case INT8 -> ((byte[]) values)[i];
            case INT16 -> ((short[]) values)[i];
            case INT32 -> ((int[]) values)[i];
            case INT64 -> ((long[]) values)[i];
            default ->
                    throw new IllegalStateException(
                            "channel_format " + format.xmlName() + " is not an integer format");
        };
    }

    /** Value of sample {@code s}, channel {@code c}, boxed (Float, Double, Byte, ..., String). */
    public Object value(int s, int c) {
        return java.lang.reflect.Array.get(values, s * channels + c);
    }

    public String stringValue(int s, int c) {
        if (format != ChannelFormat.STRING) {
            throw new IllegalStateException(
                    "channel_format " + format.xmlName() + " holds numbers, not strings");
        }
        return ((String[]) values)[s * channels + c];
    }
}
