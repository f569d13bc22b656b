package org.spikeloop.adapters.xdf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.spikeloop.adapters.lsl.ChannelFormat;

/**
 * Encodes whole XDF chunks into one reusable little-endian buffer, so each chunk can be written
 * with a single write call. Lengths use the smallest of the 1, 4 or 8-byte forms XDF allows. Every
 * sample carries its full 8-byte time stamp (as LabRecorder writes them). Not thread-safe: owned by
 * the writer thread; grows its buffer on demand and reuses it.
 */
final class XdfEncoder {
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    private void ensure(long bytes) {
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("XDF chunk of " + bytes + " bytes is too large");
        }
        if (buf.capacity() < bytes) {
            int cap = buf.capacity();
            while (cap < bytes) {
                cap = (int) Math.min(Integer.MAX_VALUE - 64, cap * 2L);
            }
            buf = ByteBuffer.allocate(cap).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static int varLenBytes(long value) {
        return value < 0x100 ? 1 : value <= 0xFFFFFFFFL ? 4 : 8;
    }

    private void putVarLen(long value) {
        int n = varLenBytes(value);
        buf.put((byte) n);
        switch (n) {
            case 1 -> buf.put((byte) value);
            case 4 -> buf.putInt((int) value);
            default -> buf.putLong(value);
        }
    }

    /** Starts a chunk whose tag plus content are {@code contentBytes + 2} bytes long. */
    private void begin(XdfChunkTag tag, long contentBytes) {
        long length = contentBytes + 2;
        ensure(length + 9);
        buf.clear();
        putVarLen(length);
        buf.putShort((short) tag.code());
    }

    private ByteBuffer done() {
        buf.flip();
        return buf;
    }

    ByteBuffer fileHeader(String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        begin(XdfChunkTag.FILE_HEADER, b.length);
        buf.put(b);
        return done();
    }

    ByteBuffer streamHeader(int streamId, String xml) {
        return streamXml(XdfChunkTag.STREAM_HEADER, streamId, xml);
    }

    ByteBuffer streamFooter(int streamId, String xml) {
        return streamXml(XdfChunkTag.STREAM_FOOTER, streamId, xml);
    }

    private ByteBuffer streamXml(XdfChunkTag tag, int streamId, String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        begin(tag, 4L + b.length);
        buf.putInt(streamId);
        buf.put(b);
        return done();
    }

    /** ClockOffset: the collection time (sender's clock, s) and the offset to add (s). */
    ByteBuffer clockOffset(int streamId, double collectionTimeS, double offsetS) {
        begin(XdfChunkTag.CLOCK_OFFSET, 4 + 16);
        buf.putInt(streamId);
        buf.putDouble(collectionTimeS);
        buf.putDouble(offsetS);
        return done();
    }

    ByteBuffer boundary() {
        begin(XdfChunkTag.BOUNDARY, 16);
        buf.put(XdfChunkTag.BOUNDARY_UUID);
        return done();
    }

    /**
     * A Samples chunk of {@code samples} row-major samples from {@code data} (a primitive array of
     * the stream's format, or {@code String[]}), one stamp each.
     */
    ByteBuffer samples(
            int streamId,
            ChannelFormat format,
            int channels,
            Object data,
            double[] stamps,
            int samples) {
        long content = 4 + 1 + varLenBytes(samples);
        byte[][] utf8 = null;
        if (format == ChannelFormat.STRING) {
            String[] s = (String[]) data;
            utf8 = new byte[samples * channels][];
            for (int i = 0; i < utf8.length; i++) {
                utf8[i] = s[i].getBytes(StandardCharsets.UTF_8);
                content += 1 + varLenBytes(utf8[i].length) + utf8[i].length;
            }
            content += 9L * samples;
        } else {
            content += (long) samples * (9 + (long) channels * format.valueBytes());
        }
        begin(XdfChunkTag.SAMPLES, content);
        buf.putInt(streamId);
        putVarLen(samples);
        for (int s = 0; s < samples; s++) {
            buf.put((byte) 8);
            buf.putDouble(stamps[s]);
            int base = s * channels;
            switch (format) {
                case FLOAT32 -> {
                    float[] a = (float[]) data;
                    for (int c = 0; c < channels; c++) {
                        buf.putFloat(a[base + c]);
                    }
                }
                case DOUBLE64 -> {
                    double[] a = (double[]) data;
                    for (int c = 0; c < channels; c++) {
                        buf.putDouble(a[base + c]);
                    }
                }
                case INT8 -> buf.put((byte[]) data, base, channels);
                case INT16 -> {
                    short[] a = (short[]) data;
                    for (int c = 0; c < channels; c++) {
                        buf.putShort(a[base + c]);
                    }
                }
                case INT32 -> {
                    int[] a = (int[]) data;
                    for (int c = 0; c < channels; c++) {
                        buf.putInt(a[base + c]);
                    }
                }
                case INT64 -> {
                    long[] a = (long[]) data;
                    for (int c = 0; c < channels; c++) {
                        buf.putLong(a[base + c]);
                    }
                }
                case STRING -> {
                    for (int c = 0; c < channels; c++) {
                        byte[] b = utf8[base + c];
                        putVarLen(b.length);
                        buf.put(b);
                    }
                }
            }
        }
        return done();
    }
}
