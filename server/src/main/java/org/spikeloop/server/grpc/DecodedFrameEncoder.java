package org.spikeloop.server.grpc;

import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.server.engine.Frame;

/**
 * Writes a {@link Frame} as the protobuf wire form of {@link DecodedFrame} into a caller's buffer,
 * byte for byte what protobuf-java's serialiser writes for the same message (fields in number
 * order, proto3 defaults omitted — a double is written unless its bits are all zero, as protobuf
 * does —, packed floats little-endian; {@code DecodedFrameEncoderTest} compares the two). Which
 * optional groups a watcher asked for is a bit mask ({@link #OUTPUTS} ...); step, frames_dropped
 * and samples_skipped are always written.
 *
 * <p>Allocation: none. Threading: any (stateless).
 */
final class DecodedFrameEncoder {
    static final int OUTPUTS = 1;
    static final int LABEL = 2;
    static final int TIMES = 4;
    static final int SPIKES = 8;
    static final int ALL = OUTPUTS | LABEL | TIMES | SPIKES;

    // Tags: field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited).
    private static final int STEP = 1 << 3;
    private static final int OUTPUT_VALUES = 2 << 3 | 2;
    private static final int HAS_LABEL = 3 << 3;
    private static final int LABEL_VALUES = 4 << 3 | 2;
    private static final int SOURCE_TIMESTAMP = 5 << 3 | 1;
    private static final int ARRIVAL_TIME = 6 << 3 | 1;
    private static final int DECODE_TIME = 7 << 3 | 1;
    private static final int SPIKE_COUNT = 8 << 3;
    private static final int FRAMES_DROPPED = 9 << 3;
    private static final int DEADLINE_MISSED = 10 << 3;
    private static final int SAMPLES_SKIPPED = 11 << 3;

    private DecodedFrameEncoder() {}

    /** The largest encoding of a frame with {@code outputs} outputs. */
    static int maxBytes(int outputs) {
        // two packed float lists (tag, length varint, 4 B each), three doubles, five varints of at
        // most 10 bytes with their tags, two bools
        return 2 * (1 + 5 + 4 * outputs) + 3 * 9 + 5 * 11 + 2 * 2;
    }

    /**
     * Encodes {@code f} into {@code dst} from index 0.
     *
     * @param framesDropped the watcher's frames_dropped
     * @param fields the groups to write ({@link #OUTPUTS} | {@link #LABEL} | ...)
     * @param dst at least {@link #maxBytes} long (modified)
     * @return bytes written
     */
    static int encode(Frame f, long framesDropped, int fields, byte[] dst) {
        int p = 0;
        if (f.step != 0) {
            dst[p++] = STEP;
            p = varint(f.step, dst, p);
        }
        if ((fields & OUTPUTS) != 0) {
            p = packedFloats(OUTPUT_VALUES, f.outputs, dst, p);
        }
        boolean label = (fields & LABEL) != 0 && f.hasLabel;
        if (label) {
            dst[p++] = HAS_LABEL;
            dst[p++] = 1;
            p = packedFloats(LABEL_VALUES, f.label, dst, p);
        }
        boolean times = (fields & TIMES) != 0;
        if (times) {
            p = fixedDouble(SOURCE_TIMESTAMP, f.sourceTimestampS, dst, p);
            p = fixedDouble(ARRIVAL_TIME, f.arrivalNs * 1e-9, dst, p);
            p = fixedDouble(DECODE_TIME, f.decodeNs * 1e-9, dst, p);
        }
        if ((fields & SPIKES) != 0 && f.spikeCount != 0) {
            dst[p++] = SPIKE_COUNT;
            p = varint(f.spikeCount & 0xFFFF_FFFFL, dst, p);
        }
        if (framesDropped != 0) {
            dst[p++] = FRAMES_DROPPED;
            p = varint(framesDropped, dst, p);
        }
        if (times && f.deadlineMissed) {
            dst[p++] = DEADLINE_MISSED;
            dst[p++] = 1;
        }
        if (f.samplesSkipped != 0) {
            dst[p++] = SAMPLES_SKIPPED;
            p = varint(f.samplesSkipped, dst, p);
        }
        return p;
    }

    private static int packedFloats(int tag, float[] values, byte[] dst, int p) {
        if (values.length == 0) {
            return p;
        }
        dst[p++] = (byte) tag;
        p = varint(4L * values.length, dst, p);
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            dst[p++] = (byte) bits;
            dst[p++] = (byte) (bits >>> 8);
            dst[p++] = (byte) (bits >>> 16);
            dst[p++] = (byte) (bits >>> 24);
        }
        return p;
    }

    private static int fixedDouble(int tag, double v, byte[] dst, int p) {
        long bits = Double.doubleToRawLongBits(v);
        if (bits == 0) {
            return p; // proto3 omits +0.0 (and only it)
        }
        dst[p++] = (byte) tag;
        for (int i = 0; i < 8; i++) {
            dst[p++] = (byte) (bits >>> (8 * i));
        }
        return p;
    }

    /**
     * Appends {@code len} bytes of {@code src} to {@code dst} at {@code p} as the length-delimited
     * field {@code fieldNumber} (tag, length varint, bytes): an encoded frame as one element of
     * DecodedFrames.frames.
     *
     * @return the position after it
     */
    static int lengthDelimited(int fieldNumber, byte[] src, int len, byte[] dst, int p) {
        p = varint(fieldNumber << 3 | 2, dst, p);
        p = varint(len, dst, p);
        System.arraycopy(src, 0, dst, p, len);
        return p + len;
    }

    /**
     * The most bytes {@link #lengthDelimited} adds to a frame (a one-byte tag, a length varint).
     */
    static final int FIELD_OVERHEAD_BYTES = 1 + 5;

    /** An unsigned varint (a uint64 taken as its bits). */
    private static int varint(long v, byte[] dst, int p) {
        while ((v & ~0x7FL) != 0) {
            dst[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        dst[p++] = (byte) v;
        return p;
    }
}
