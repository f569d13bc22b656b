package org.spikeloop.adapters.xdf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Writes an XDF 1.0 file the way LabRecorder does: magic, FileHeader, then per stream a
 * StreamHeader (full stream XML), Samples, ClockOffset and Boundary chunks, and a StreamFooter
 * (first/last time stamp, sample count, clock offsets) at the end. Each chunk is encoded whole and
 * handed to the OS in one write call, so a killed process leaves only whole chunks plus at most one
 * partly written chunk that readers recognise as truncation. {@link #sync()} forces data to disk.
 *
 * <p>Single-threaded: used by {@link XdfRecorder}'s thread (or a test) only.
 */
public final class XdfWriter implements AutoCloseable {
    private final FileChannel channel;
    private final XdfEncoder encoder = new XdfEncoder();
    private final Map<Integer, StreamState> streams = new HashMap<>();
    private long bytesWritten;
    private long chunksWritten;
    private boolean closed;

    /** Per-stream footer statistics. */
    private static final class StreamState {
        final ChannelFormat format;
        final int channels;
        double firstStampS = Double.NaN;
        double lastStampS = Double.NaN;
        long sampleCount;
        final List<double[]> clockOffsets = new ArrayList<>();
        final String what; // names the stream in refusals (built once, not per chunk)
        boolean footerWritten;

        StreamState(int id, ChannelFormat format, int channels) {
            this.format = format;
            this.channels = channels;
            this.what = "stream " + id;
        }
    }

    /** Creates (or truncates) {@code file} and writes the magic and FileHeader. */
    public XdfWriter(Path file) throws IOException {
        this.channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
        write(ByteBuffer.wrap(XdfChunkTag.MAGIC));
        String datetime = OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        write(
                encoder.fileHeader(
                        "<?xml version=\"1.0\"?>\n<info>\n\t<version>1.0</version>\n\t<datetime>"
                                + datetime
                                + "</datetime>\n</info>"));
    }

    private void write(ByteBuffer chunk) throws IOException {
        if (closed) {
            throw new IOException("XDF writer is closed");
        }
        int bytes = chunk.remaining();
        // FileChannel writes a regular file's buffer in one call; the loop only guards the API.
        while (chunk.hasRemaining()) {
            channel.write(chunk);
        }
        bytesWritten += bytes;
        chunksWritten++;
    }

    /** Writes the StreamHeader of stream {@code streamId} (unique in this file). */
    public void streamHeader(int streamId, StreamInfo info) throws IOException {
        if (streams.containsKey(streamId)) {
            throw new IllegalArgumentException("stream id " + streamId + " already has a header");
        }
        write(encoder.streamHeader(streamId, info.toXml()));
        streams.put(streamId, new StreamState(streamId, info.format(), info.channelCount()));
    }

    private StreamState state(int streamId) {
        StreamState s = streams.get(streamId); // an Integer of a small id: the boxing cache
        if (s == null) {
            throw new IllegalArgumentException(
                    "stream id " + streamId + ": no StreamHeader written");
        }
        return s;
    }

    /**
     * Writes one Samples chunk; {@code data} is the stream format's primitive array (or {@code
     * String[]}), row-major, {@code samples * channels} values; stamps in seconds.
     */
    public void samples(int streamId, Object data, double[] stamps, int samples)
            throws IOException {
        StreamState s = state(streamId);
        if (samples == 0) {
            return;
        }
        XdfSamples.checkArray(s.format, data, (long) samples * s.channels, s.what);
        if (stamps.length < samples) {
            throw new IllegalArgumentException(
                    "stream "
                            + streamId
                            + ": "
                            + samples
                            + " samples but "
                            + stamps.length
                            + " stamps");
        }
        write(encoder.samples(streamId, s.format, s.channels, data, stamps, samples));
        if (s.sampleCount == 0) {
            s.firstStampS = stamps[0];
        }
        s.lastStampS = stamps[samples - 1];
        s.sampleCount += samples;
    }

    /**
     * Writes a ClockOffset chunk: {@code collectionTimeS} in the sender's clock, {@code offsetS}
     * the value to add to its stamps. Non-finite values are refused (never write an uninitialised
     * offset).
     */
    public void clockOffset(int streamId, double collectionTimeS, double offsetS)
            throws IOException {
        StreamState s = state(streamId);
        if (!Double.isFinite(collectionTimeS) || !Double.isFinite(offsetS)) {
            throw new IllegalArgumentException(
                    "stream " + streamId + ": clock offset must be finite, got " + offsetS);
        }
        write(encoder.clockOffset(streamId, collectionTimeS, offsetS));
        s.clockOffsets.add(new double[] {collectionTimeS, offsetS});
    }

    public void boundary() throws IOException {
        write(encoder.boundary());
    }

    /** Writes the StreamFooter of one stream (once). */
    public void streamFooter(int streamId) throws IOException {
        StreamState s = state(streamId);
        if (s.footerWritten) {
            return;
        }
        StringBuilder xml = new StringBuilder(256 + 80 * s.clockOffsets.size());
        xml.append("<?xml version=\"1.0\"?>\n<info>\n");
        if (s.sampleCount > 0) {
            xml.append("\t<first_timestamp>").append(s.firstStampS).append("</first_timestamp>\n");
            xml.append("\t<last_timestamp>").append(s.lastStampS).append("</last_timestamp>\n");
        } else {
            xml.append("\t<first_timestamp>0</first_timestamp>\n");
            xml.append("\t<last_timestamp>0</last_timestamp>\n");
        }
        xml.append("\t<sample_count>").append(s.sampleCount).append("</sample_count>\n");
        xml.append("\t<clock_offsets>");
        for (double[] o : s.clockOffsets) {
            xml.append("<offset><time>")
                    .append(o[0])
                    .append("</time><value>")
                    .append(o[1])
                    .append("</value></offset>");
        }
        xml.append("</clock_offsets>\n</info>");
        write(encoder.streamFooter(streamId, xml.toString()));
        s.footerWritten = true;
    }

    /** Writes the footers of all streams that have none yet. */
    public void streamFooters() throws IOException {
        for (Integer id : streams.keySet().stream().sorted().toList()) {
            streamFooter(id);
        }
    }

    /** Forces written data to disk (fsync of the data). */
    public void sync() throws IOException {
        channel.force(false);
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long chunksWritten() {
        return chunksWritten;
    }

    /** Writes missing footers, syncs and closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            streamFooters();
            sync();
        } finally {
            closed = true;
            channel.close();
        }
    }
}
