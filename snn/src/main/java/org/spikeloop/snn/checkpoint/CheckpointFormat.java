package org.spikeloop.snn.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary layout of a checkpoint file, version 1 (all integers little-endian):
 *
 * <pre>
 * offset      size  field
 * 0           8     magic 0x89 'S' 'L' 'C' 'K' 'P' 'T' '\n'
 * 8           4     format version (u32) = 1
 * 12          8     total file length in bytes, trailer included (u64)
 * 20          4     header length H (u32)
 * 24          H     header: UTF-8 JSON (format, contentId, spec, provenance)
 * 24+H        ...   payload: tensor count (u32), then per tensor:
 *                     name length (u16), name (UTF-8), value type (u8: 1 float32, 2 float64),
 *                     rank (u8), rank × dimension (u32), values row-major
 * L−32        32    SHA-256 of bytes [0, L−32)
 * </pre>
 *
 * The content id is the SHA-256 of the payload alone, so it names the weights and architecture
 * shapes independently of provenance. Decoding checks, in order: magic, version, length
 * (truncation), trailing checksum, then the structure; so a damaged file is reported by its first
 * visible symptom and never parsed further. Stateless; safe from any thread.
 */
final class CheckpointFormat {
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'L', 'C', 'K', 'P', 'T', '\n'};
    static final int VERSION = 1;
    static final int PREAMBLE_BYTES = 24;
    static final int TRAILER_BYTES = 32;
    private static final int VERSION_OFFSET = 8;
    private static final int LENGTH_OFFSET = 12;
    private static final int HEADER_LENGTH_OFFSET = 20;
    private static final int MAX_RANK = 8;

    private CheckpointFormat() {}

    /** One tensor as stored: values widened to double. */
    record RawTensor(String name, int[] shape, ValueType type, double[] values) {}

    /** A decoded file: its header text, raw payload and tensors. */
    record Decoded(String headerJson, byte[] payload, List<RawTensor> tensors) {}

    /** Encodes tensors as the payload section (values of FLOAT32 tensors rounded to float). */
    static byte[] encodePayload(List<RawTensor> tensors) {
        int size = Integer.BYTES;
        List<byte[]> names = new ArrayList<>(tensors.size());
        for (RawTensor t : tensors) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += Short.BYTES + name.length + 2 + Integer.BYTES * t.shape().length;
            size += t.type().bytes() * t.values().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            RawTensor t = tensors.get(i);
            b.putShort((short) names.get(i).length);
            b.put(names.get(i));
            b.put((byte) t.type().code());
            b.put((byte) t.shape().length);
            for (int d : t.shape()) {
                b.putInt(d);
            }
            if (t.type() == ValueType.FLOAT32) {
                for (double v : t.values()) {
                    b.putFloat((float) v);
                }
            } else {
                for (double v : t.values()) {
                    b.putDouble(v);
                }
            }
        }
        return b.array();
    }

    /** Assembles a whole file: preamble with {@code version}, header, payload and checksum. */
    static byte[] encodeFile(int version, byte[] header, byte[] payload) {
        int total = PREAMBLE_BYTES + header.length + payload.length + TRAILER_BYTES;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC);
        b.putInt(version);
        b.putLong(total);
        b.putInt(header.length);
        b.put(header);
        b.put(payload);
        MessageDigest sha = sha256();
        sha.update(b.array(), 0, total - TRAILER_BYTES);
        b.put(sha.digest());
        return b.array();
    }

    /** Hex SHA-256 of {@code bytes}. */
    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /**
     * Decodes a file's bytes.
     *
     * @param file the whole file (not modified)
     * @param where the file's name, for messages
     * @throws CheckpointException naming the first problem found (see the class javadoc's order)
     */
    static Decoded decode(byte[] file, String where) throws CheckpointException {
        int n = file.length;
        int magicSeen = Math.min(n, MAGIC.length);
        if (!Arrays.equals(file, 0, magicSeen, MAGIC, 0, magicSeen)) {
            throw new CheckpointException(
                    where
                            + ": bad magic (not a Spikeloop checkpoint): starts with "
                            + HexFormat.ofDelimiter(" ").formatHex(file, 0, magicSeen));
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (n < PREAMBLE_BYTES) {
            // A short file whose magic matches: report the version if it is there (an old or
            // new format is the likelier story), else the truncation.
            if (n >= LENGTH_OFFSET && b.getInt(VERSION_OFFSET) != VERSION) {
                throw unsupported(where, b.getInt(VERSION_OFFSET));
            }
            throw new CheckpointException(
                    where
                            + ": truncated at byte "
                            + n
                            + " (the "
                            + PREAMBLE_BYTES
                            + "-byte preamble is incomplete)");
        }
        int version = b.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw unsupported(where, version);
        }
        long declared = b.getLong(LENGTH_OFFSET);
        if (n < declared) {
            throw new CheckpointException(
                    where + ": truncated at byte " + n + " (the file declares " + declared + ")");
        }
        if (n > declared) {
            throw new CheckpointException(
                    where
                            + ": "
                            + (n - declared)
                            + " unexpected bytes after the declared end at byte "
                            + declared
                            + " (corrupted length or appended data)");
        }
        if (n < PREAMBLE_BYTES + Integer.BYTES + TRAILER_BYTES) {
            throw new CheckpointException(
                    where + ": malformed: declared length " + declared + " is below the minimum");
        }
        MessageDigest sha = sha256();
        sha.update(file, 0, n - TRAILER_BYTES);
        byte[] computed = sha.digest();
        if (!Arrays.equals(file, n - TRAILER_BYTES, n, computed, 0, TRAILER_BYTES)) {
            throw new CheckpointException(
                    where
                            + ": checksum mismatch: the file is corrupted (stored SHA-256 "
                            + HexFormat.of().formatHex(file, n - TRAILER_BYTES, n)
                            + ", computed "
                            + HexFormat.of().formatHex(computed)
                            + ")");
        }
        int end = n - TRAILER_BYTES;
        long headerLength = Integer.toUnsignedLong(b.getInt(HEADER_LENGTH_OFFSET));
        if (PREAMBLE_BYTES + headerLength > end) {
            throw new CheckpointException(
                    where
                            + ": malformed: header of "
                            + headerLength
                            + " bytes runs past the end of the data at byte "
                            + end);
        }
        int payloadStart = PREAMBLE_BYTES + (int) headerLength;
        String header =
                new String(file, PREAMBLE_BYTES, (int) headerLength, StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOfRange(file, payloadStart, end);
        return new Decoded(header, payload, decodePayload(payload, payloadStart, where));
    }

    private static List<RawTensor> decodePayload(byte[] payload, int base, String where)
            throws CheckpointException {
        Cursor c = new Cursor(payload, base, where);
        long count = c.u32("tensor count");
        List<RawTensor> tensors = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int nameLength = c.u16("tensor name length");
            String name = new String(c.bytes(nameLength, "tensor name"), StandardCharsets.UTF_8);
            int typeAt = c.offset();
            int code = c.u8("value type of " + name);
            ValueType type = ValueType.byCode(code);
            if (type == null) {
                throw new CheckpointException(
                        where
                                + ": malformed: tensor "
                                + name
                                + " has unknown value type code "
                                + code
                                + " at byte "
                                + typeAt
                                + " (1 = float32, 2 = float64)");
            }
            int rank = c.u8("rank of " + name);
            if (rank < 1 || rank > MAX_RANK) {
                throw new CheckpointException(
                        where + ": malformed: tensor " + name + " has rank " + rank);
            }
            int[] shape = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                long dim = c.u32("shape of " + name);
                if (dim > Integer.MAX_VALUE) {
                    throw new CheckpointException(
                            where + ": malformed: tensor " + name + " has dimension " + dim);
                }
                shape[d] = (int) dim;
                size *= dim;
            }
            if (size * type.bytes() > c.remaining()) {
                throw new CheckpointException(
                        where
                                + ": malformed: tensor "
                                + name
                                + " of shape "
                                + Arrays.toString(shape)
                                + " runs past the end of the data at byte "
                                + (base + payload.length));
            }
            double[] values = new double[(int) size];
            for (int k = 0; k < values.length; k++) {
                values[k] = type == ValueType.FLOAT32 ? c.f32() : c.f64();
                if (!Double.isFinite(values[k])) {
                    throw new CheckpointException(
                            where
                                    + ": tensor "
                                    + name
                                    + " has a non-finite value ("
                                    + values[k]
                                    + ") at flat index "
                                    + k);
                }
            }
            tensors.add(new RawTensor(name, shape, type, values));
        }
        if (c.remaining() != 0) {
            throw new CheckpointException(
                    where
                            + ": malformed: "
                            + c.remaining()
                            + " bytes after the last tensor at byte "
                            + c.offset());
        }
        return tensors;
    }

    private static CheckpointException unsupported(String where, int version) {
        return new CheckpointException(
                where
                        + ": unsupported checkpoint format version "
                        + Integer.toUnsignedString(version)
                        + " (this build reads version "
                        + VERSION
                        + ")");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Bounds-checked little-endian reads over the payload; offsets reported file-relative. */
    private static final class Cursor {
        private final ByteBuffer b;
        private final int base;
        private final String where;

        Cursor(byte[] bytes, int base, String where) {
            this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.base = base;
            this.where = where;
        }

        int offset() {
            return base + b.position();
        }

        int remaining() {
            return b.remaining();
        }

        private void need(int bytes, String what) throws CheckpointException {
            if (b.remaining() < bytes) {
                throw new CheckpointException(
                        where
                                + ": malformed: "
                                + what
                                + " at byte "
                                + offset()
                                + " runs past the end of the data at byte "
                                + (base + b.limit()));
            }
        }

        long u32(String what) throws CheckpointException {
            need(Integer.BYTES, what);
            return Integer.toUnsignedLong(b.getInt());
        }

        int u16(String what) throws CheckpointException {
            need(Short.BYTES, what);
            return Short.toUnsignedInt(b.getShort());
        }

        int u8(String what) throws CheckpointException {
            need(1, what);
            return Byte.toUnsignedInt(b.get());
        }

        byte[] bytes(int count, String what) throws CheckpointException {
            need(count, what);
            byte[] out = new byte[count];
            b.get(out);
            return out;
        }

        double f32() {
            return b.getFloat();
        }

        double f64() {
            return b.getDouble();
        }
    }
}
