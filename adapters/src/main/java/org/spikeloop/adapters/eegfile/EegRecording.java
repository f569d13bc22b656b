package org.spikeloop.adapters.eegfile;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A GDF/EDF/BDF recording as the reader helper left it in a directory: {@code header.json} (file
 * name, format, reader, checksum, host, rate, sample count, channels, markers, notes) parsed here,
 * and {@code signal.f32} (float32 little-endian, row-major samples × channels, in each channel's
 * {@link EegChannel#unit()}) read on demand by {@link #readSignal}, so a long recording is
 * converted without holding it in memory. {@link #close()} deletes the directory.
 *
 * <p>Single-threaded (one caller reads it); control plane only.
 */
public final class EegRecording implements AutoCloseable {
    static final String HEADER = "header.json";
    static final String SIGNAL = "signal.f32";

    private final Path dir;
    private final Header header;
    private final List<EegChannel> channels;
    private final List<EegMarker> markers;
    private final FileChannel signal;

    /** The fields of header.json (names as the helper writes them). */
    private static final class Header {
        String file;
        String format;
        String reader;
        String sha256;
        String hostname;
        String meas_date;
        double sampling_rate_hz;
        long samples;
        List<EegChannel> channels;
        List<Marker> markers;
        List<String> notes;
    }

    private static final class Marker {
        double onset_s;
        String text;
    }

    private EegRecording(Path dir, Header header, FileChannel signal) {
        this.dir = dir;
        this.header = header;
        this.channels = List.copyOf(header.channels);
        this.markers = header.markers.stream().map(m -> new EegMarker(m.onset_s, m.text)).toList();
        this.signal = signal;
    }

    /**
     * Opens the helper's output in {@code dir} (which this recording then owns and deletes on
     * close); every field is checked, and the signal file's size must be samples × channels × 4.
     */
    public static EegRecording open(Path dir) throws IOException {
        Header h;
        try {
            h =
                    new Gson()
                            .fromJson(
                                    Files.readString(dir.resolve(HEADER), StandardCharsets.UTF_8),
                                    Header.class);
        } catch (JsonParseException e) {
            throw new EegFileException("the reader's header.json is not valid JSON", e);
        }
        check(h);
        FileChannel signal = FileChannel.open(dir.resolve(SIGNAL), StandardOpenOption.READ);
        long expected = h.samples * h.channels.size() * (long) Float.BYTES;
        long size = signal.size();
        if (size != expected) {
            signal.close();
            throw new EegFileException(
                    "the reader's signal.f32 holds "
                            + size
                            + " bytes, expected "
                            + expected
                            + " ("
                            + h.samples
                            + " samples x "
                            + h.channels.size()
                            + " channels)");
        }
        return new EegRecording(dir, h, signal);
    }

    private static void check(Header h) {
        if (h == null) {
            throw new EegFileException("the reader's header.json is empty");
        }
        if (!(h.sampling_rate_hz > 0) || Double.isInfinite(h.sampling_rate_hz)) {
            throw new EegFileException(
                    "sampling rate must be finite and > 0, got " + h.sampling_rate_hz);
        }
        if (h.samples < 0) {
            throw new EegFileException("sample count must be >= 0, got " + h.samples);
        }
        if (h.channels == null || h.channels.isEmpty()) {
            throw new EegFileException("the recording has no signal channels");
        }
        for (EegChannel c : h.channels) {
            if (c == null || c.label() == null || c.type() == null || c.unit() == null) {
                throw new EegFileException("a channel lacks its label, type or unit");
            }
        }
        if (h.markers == null || h.notes == null || h.file == null || h.format == null) {
            throw new EegFileException("header.json lacks file, format, markers or notes");
        }
        if (h.notes.contains(null)) {
            throw new EegFileException("a note is null");
        }
        for (Marker m : h.markers) {
            if (m == null || m.text == null || !Double.isFinite(m.onset_s)) {
                throw new EegFileException("a marker lacks its text or a finite onset");
            }
        }
    }

    /** The recording's file name (without directories). */
    public String fileName() {
        return header.file;
    }

    /** The format and version the file declares, e.g. {@code GDF 1.25}, {@code EDF}. */
    public String format() {
        return header.format;
    }

    /** The reader that decoded it, e.g. {@code mne 1.13.2}. */
    public String reader() {
        return header.reader == null ? "" : header.reader;
    }

    /** SHA-256 of the file's bytes (hex). */
    public String sha256() {
        return header.sha256 == null ? "" : header.sha256;
    }

    /** The host that read it (the XDF header's hostname). */
    public String hostname() {
        return header.hostname == null ? "" : header.hostname;
    }

    /** The measurement date the file states (ISO 8601), or null. */
    public String measDate() {
        return header.meas_date;
    }

    public double rateHz() {
        return header.sampling_rate_hz;
    }

    public long samples() {
        return header.samples;
    }

    public List<EegChannel> channels() {
        return channels;
    }

    /** Events in onset order. */
    public List<EegMarker> markers() {
        return markers;
    }

    /** What the reader corrected or left out (unit corrections, stim channels, other units). */
    public List<String> notes() {
        return List.copyOf(header.notes);
    }

    /**
     * Reads {@code count} samples from {@code firstSample} into {@code out} (row-major, {@code
     * count × channels} values; modified).
     */
    public void readSignal(long firstSample, int count, float[] out) throws IOException {
        int ch = channels.size();
        if (firstSample < 0 || count < 0 || firstSample + count > header.samples) {
            throw new IndexOutOfBoundsException(
                    "samples ["
                            + firstSample
                            + ", "
                            + (firstSample + count)
                            + ") outside [0, "
                            + header.samples
                            + ")");
        }
        ByteBuffer buf =
                ByteBuffer.allocate(count * ch * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long pos = firstSample * ch * Float.BYTES;
        while (buf.hasRemaining()) {
            int n = signal.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("signal.f32 ended early at byte " + pos + buf.position());
            }
        }
        buf.flip();
        buf.asFloatBuffer().get(out, 0, count * ch);
    }

    /** Closes the signal file and deletes the helper's directory. */
    @Override
    public void close() throws IOException {
        try {
            signal.close();
        } finally {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    deleteTree(p);
                } else {
                    Files.delete(p);
                }
            }
        }
        Files.delete(dir);
    }
}
