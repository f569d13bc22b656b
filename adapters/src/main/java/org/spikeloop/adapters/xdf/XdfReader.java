package org.spikeloop.adapters.xdf;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Reads XDF 1.0 files, whoever wrote them: every chunk type and channel format, raw values and
 * stamps exactly as stored (deduced stamps are the previous stamp plus 1/nominal_srate, as pyxdf
 * computes them). Tolerant: a file cut anywhere keeps every complete chunk and reports the byte
 * offset where the incomplete chunk starts; a corrupted chunk is skipped and reported with its
 * offset, resynchronising on the next Boundary chunk when its length cannot be trusted. Clock
 * synchronisation and dejittering are optional post-steps ({@link XdfClockSync}).
 *
 * <p>Stateless; one call reads one file on the calling thread.
 */
public final class XdfReader {
    /** Post-processing choices; {@link #raw()} keeps the stamps as recorded. */
    public record Options(boolean synchronizeClocks, boolean handleClockResets, boolean dejitter) {
        public static Options raw() {
            return new Options(false, false, false);
        }

        /** pyxdf's {@code load_xdf} defaults: clock sync with reset handling, and dejittering. */
        public static Options pyxdfDefaults() {
            return new Options(true, true, true);
        }
    }

    private XdfReader() {}

    public static XdfRecording read(Path file) throws IOException {
        return read(file, Options.raw());
    }

    public static XdfRecording read(Path file, Options options) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            XdfRecording rec = new Parse(ch).run();
            if (options.synchronizeClocks()) {
                XdfClockSync.synchronize(rec, options.handleClockResets());
            }
            if (options.dejitter()) {
                XdfClockSync.dejitter(rec);
            }
            return rec;
        }
    }

    /** The state of one parse. */
    private static final class Parse {
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer head = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN);
        private ByteBuffer content = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final Map<Integer, XdfStream> streams = new LinkedHashMap<>();
        private final List<XdfRecording.Problem> problems = new ArrayList<>();
        private String fileHeader;
        private long chunks;
        private long boundaries;

        Parse(FileChannel ch) throws IOException {
            this.ch = ch;
            this.size = ch.size();
        }

        private int readFully(ByteBuffer dst, long pos) throws IOException {
            int total = 0;
            while (dst.hasRemaining()) {
                int n = ch.read(dst, pos + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        }

        XdfRecording run() throws IOException {
            ByteBuffer magic = ByteBuffer.allocate(4);
            int got = readFully(magic, 0);
            for (int i = 0; i < got; i++) {
                if (magic.get(i) != XdfChunkTag.MAGIC[i]) {
                    throw new XdfFormatException("not an XDF file: it does not start with 'XDF:'");
                }
            }
            if (got < 4) {
                return result(0);
            }
            long pos = 4;
            long truncatedAt = -1;
            while (pos < size) {
                long start = pos;
                head.clear().limit(1);
                readFully(head, pos);
                int lengthBytes = head.get(0) & 0xFF;
                if (lengthBytes != 1 && lengthBytes != 4 && lengthBytes != 8) {
                    pos = resync(start, "invalid length-field size " + lengthBytes);
                    if (pos < 0) {
                        break;
                    }
                    continue;
                }
                if (start + 1 + lengthBytes > size) {
                    truncatedAt = start;
                    break;
                }
                head.clear().limit(lengthBytes);
                readFully(head, start + 1);
                long length =
                        switch (lengthBytes) {
                            case 1 -> head.get(0) & 0xFFL;
                            case 4 -> head.getInt(0) & 0xFFFFFFFFL;
                            default -> head.getLong(0);
                        };
                long contentStart = start + 1 + lengthBytes;
                if (length < 2 || length > Integer.MAX_VALUE - 64) {
                    pos = resync(start, "invalid chunk length " + length);
                    if (pos < 0) {
                        break;
                    }
                    continue;
                }
                if (contentStart + length > size) {
                    long next = findBoundary(contentStart);
                    if (next < 0) {
                        truncatedAt = start;
                        break;
                    }
                    problems.add(
                            new XdfRecording.Problem(
                                    start,
                                    "chunk length "
                                            + length
                                            + " runs past the end of the file; resumed at the"
                                            + " Boundary chunk ending at "
                                            + next));
                    pos = next;
                    continue;
                }
                if (content.capacity() < length) {
                    content =
                            ByteBuffer.allocate((int) Math.max(length, content.capacity() * 2L))
                                    .order(ByteOrder.LITTLE_ENDIAN);
                }
                content.clear().limit((int) length);
                readFully(content, contentStart);
                content.flip();
                int tag = content.getShort() & 0xFFFF;
                chunks++;
                dispatch(start, tag);
                pos = contentStart + length;
            }
            return result(truncatedAt);
        }

        private XdfRecording result(long truncatedAt) {
            return new XdfRecording(
                    fileHeader,
                    List.copyOf(streams.values()),
                    size,
                    truncatedAt,
                    chunks,
                    boundaries,
                    List.copyOf(problems));
        }

        /**
         * Reports a chunk whose length cannot be trusted and returns the position after the next
         * Boundary chunk, or -1 (also reported) if there is none.
         */
        private long resync(long start, String reason) throws IOException {
            long next = findBoundary(start + 1);
            problems.add(
                    new XdfRecording.Problem(
                            start,
                            reason
                                    + (next < 0
                                            ? "; no Boundary chunk follows, the remaining "
                                                    + (size - start)
                                                    + " bytes were skipped"
                                            : "; resumed after the Boundary chunk ending at "
                                                    + next)));
            return next;
        }

        /** Position just after the next Boundary signature at or after {@code from}, or -1. */
        private long findBoundary(long from) throws IOException {
            byte[] sig = XdfChunkTag.BOUNDARY_UUID;
            ByteBuffer block =
                    ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(0, size - from)) + 1);
            long pos = from;
            while (pos < size) {
                block.clear();
                int n = readFully(block, pos);
                if (n < sig.length) {
                    return -1;
                }
                for (int i = 0; i + sig.length <= n; i++) {
                    int j = 0;
                    while (j < sig.length && block.get(i + j) == sig[j]) {
                        j++;
                    }
                    if (j == sig.length) {
                        return pos + i + sig.length;
                    }
                }
                pos += n - sig.length + 1;
            }
            return -1;
        }

        private String utf8Rest() {
            byte[] b = new byte[content.remaining()];
            content.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private void dispatch(long start, int tagCode) {
            XdfChunkTag tag = XdfChunkTag.of(tagCode);
            if (tag == null) {
                problems.add(
                        new XdfRecording.Problem(
                                start, "unknown chunk tag " + tagCode + " skipped"));
                return;
            }
            try {
                switch (tag) {
                    case FILE_HEADER -> fileHeader = utf8Rest();
                    case BOUNDARY -> boundaries++;
                    case STREAM_HEADER -> {
                        int id = content.getInt();
                        String xml = utf8Rest();
                        if (streams.containsKey(id)) {
                            problems.add(
                                    new XdfRecording.Problem(
                                            start,
                                            "second StreamHeader for stream " + id + " ignored"));
                            return;
                        }
                        streams.put(id, new XdfStream(id, xml, StreamInfo.fromXml(xml)));
                    }
                    case STREAM_FOOTER -> {
                        XdfStream s = stream(content.getInt(), start, "StreamFooter");
                        if (s != null) {
                            s.footerXml(utf8Rest());
                        }
                    }
                    case CLOCK_OFFSET -> {
                        if (content.remaining() != 20) {
                            problems.add(
                                    new XdfRecording.Problem(
                                            start,
                                            "ClockOffset chunk has "
                                                    + (content.remaining() - 4)
                                                    + " value bytes, expected 16"));
                            return;
                        }
                        XdfStream s = stream(content.getInt(), start, "ClockOffset");
                        if (s != null) {
                            s.addClockOffset(content.getDouble(), content.getDouble());
                        }
                    }
                    case SAMPLES -> {
                        XdfStream s = stream(content.getInt(), start, "Samples");
                        if (s != null) {
                            samples(s, start);
                        }
                    }
                }
            } catch (BufferUnderflowException e) {
                problems.add(
                        new XdfRecording.Problem(start, tag + " chunk is shorter than its fields"));
            } catch (IllegalArgumentException e) {
                problems.add(new XdfRecording.Problem(start, tag + " chunk: " + e.getMessage()));
            }
        }

        private XdfStream stream(int id, long start, String what) {
            XdfStream s = streams.get(id);
            if (s == null) {
                problems.add(
                        new XdfRecording.Problem(
                                start,
                                what + " chunk for stream " + id + " before its StreamHeader"));
            }
            return s;
        }

        private long varLen() {
            int n = content.get() & 0xFF;
            return switch (n) {
                case 1 -> content.get() & 0xFFL;
                case 4 -> content.getInt() & 0xFFFFFFFFL;
                case 8 -> content.getLong();
                default ->
                        throw new IllegalArgumentException(
                                "invalid variable-length integer size " + n);
            };
        }

        /** Parses a Samples chunk; on any inconsistency the stream is left as before the chunk. */
        private void samples(XdfStream s, long start) {
            int stampsBefore = s.sampleCount();
            double lastBefore = s.lastStampS;
            ChannelFormat format = s.info().format();
            int ch = s.info().channelCount();
            double rate = s.info().nominalSrateHz();
            double tdiff = rate > 0 ? 1.0 / rate : 0.0;
            try {
                long n = varLen();
                long minBytes =
                        format.isNumeric() ? 1 + (long) ch * format.valueBytes() : 1 + 2L * ch;
                if (n < 0 || n * minBytes > content.remaining()) {
                    throw new IllegalArgumentException(
                            n + " samples cannot fit in " + content.remaining() + " bytes");
                }
                int count = (int) n;
                double[] stamps = s.reserveStamps(count);
                Object values = s.samples().reserve(count * ch);
                int base = s.samples().size();
                for (int k = 0; k < count; k++) {
                    int tsBytes = content.get() & 0xFF;
                    double t;
                    if (tsBytes == 8) {
                        t = content.getDouble();
                    } else if (tsBytes == 0) {
                        t = s.lastStampS + tdiff;
                    } else {
                        throw new IllegalArgumentException("time-stamp size " + tsBytes);
                    }
                    s.lastStampS = t;
                    stamps[stampsBefore + k] = t;
                    int at = base + k * ch;
                    switch (format) {
                        case FLOAT32 -> {
                            float[] a = (float[]) values;
                            for (int c = 0; c < ch; c++) {
                                a[at + c] = content.getFloat();
                            }
                        }
                        case DOUBLE64 -> {
                            double[] a = (double[]) values;
                            for (int c = 0; c < ch; c++) {
                                a[at + c] = content.getDouble();
                            }
                        }
                        case INT8 -> content.get((byte[]) values, at, ch);
                        case INT16 -> {
                            short[] a = (short[]) values;
                            for (int c = 0; c < ch; c++) {
                                a[at + c] = content.getShort();
                            }
                        }
                        case INT32 -> {
                            int[] a = (int[]) values;
                            for (int c = 0; c < ch; c++) {
                                a[at + c] = content.getInt();
                            }
                        }
                        case INT64 -> {
                            long[] a = (long[]) values;
                            for (int c = 0; c < ch; c++) {
                                a[at + c] = content.getLong();
                            }
                        }
                        case STRING -> {
                            String[] a = (String[]) values;
                            for (int c = 0; c < ch; c++) {
                                long len = varLen();
                                if (len < 0 || len > content.remaining()) {
                                    throw new IllegalArgumentException(
                                            "string of " + len + " bytes runs past the chunk");
                                }
                                byte[] b = new byte[(int) len];
                                content.get(b);
                                a[at + c] = new String(b, StandardCharsets.UTF_8);
                            }
                        }
                    }
                }
                s.advanceStamps(count);
                s.samples().advance(count * ch);
            } catch (RuntimeException e) {
                s.truncateSamples(stampsBefore);
                s.lastStampS = lastBefore;
                String why =
                        e instanceof BufferUnderflowException
                                ? "sample data runs past the chunk"
                                : e.getMessage();
                problems.add(
                        new XdfRecording.Problem(
                                start,
                                "Samples chunk of stream "
                                        + s.id()
                                        + " is corrupted ("
                                        + why
                                        + "); skipped"));
            }
        }
    }
}
