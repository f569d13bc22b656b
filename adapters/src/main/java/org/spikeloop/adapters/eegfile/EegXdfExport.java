package org.spikeloop.adapters.eegfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.spikeloop.adapters.xdf.XdfWriter;

/**
 * Writes an {@link EegRecording} as an XDF 1.0 file: stream 1 the signal (float32, stamps {@code i
 * / rate} seconds from the first sample), stream 2 the markers (one string per event, stamped at
 * its onset on the same clock), each with the headers of {@link EegStreamHeaders}. The signal goes
 * out in Samples chunks of {@value #CHUNK_SAMPLES} samples, read from the recording chunk by chunk
 * (a long file is never held in memory); each marker follows the chunk its onset falls in, a
 * Boundary chunk follows every {@value #BOUNDARY_EVERY_S} s of signal (as LabRecorder writes one
 * every 10 s), and each stream gets a ClockOffset of 0 at its first and last stamp (the file's
 * clock is the reference clock, so pyxdf's synchronisation leaves the stamps unchanged).
 *
 * <p>The file is written beside {@code out} under a temporary name and moved into place only when
 * complete, so a failure leaves nothing at {@code out}. Control plane, caller's thread.
 */
public final class EegXdfExport {
    static final int CHUNK_SAMPLES = 1024;
    static final double BOUNDARY_EVERY_S = 10.0;
    static final int SIGNAL_STREAM = 1;
    static final int MARKER_STREAM = 2;

    private EegXdfExport() {}

    /** What was written: stream names, sizes. */
    public record Summary(
            String signalStream, String markerStream, int channels, long samples, int markers) {}

    /**
     * Writes {@code rec} to {@code out} with streams {@code name} and {@code name + "-markers"}.
     *
     * @param replace whether an existing {@code out} may be replaced
     */
    public static Summary write(EegRecording rec, String name, Path out, boolean replace)
            throws IOException {
        if (!replace && Files.exists(out)) {
            throw new EegFileException(out + " exists (nothing written)");
        }
        String markerName = name + "-markers";
        Path dir = out.toAbsolutePath().getParent();
        Path part = Files.createTempFile(dir, "." + out.getFileName(), ".part");
        boolean done = false;
        try {
            try (XdfWriter w = new XdfWriter(part)) {
                w.streamHeader(SIGNAL_STREAM, EegStreamHeaders.signal(rec, name));
                w.streamHeader(MARKER_STREAM, EegStreamHeaders.markers(rec, markerName));
                w.clockOffset(SIGNAL_STREAM, 0.0, 0.0);
                w.clockOffset(MARKER_STREAM, 0.0, 0.0);
                writeStreams(w, rec);
            }
            if (replace) {
                Files.move(
                        part,
                        out,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(part, out, StandardCopyOption.ATOMIC_MOVE);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
        return new Summary(
                name, markerName, rec.channels().size(), rec.samples(), rec.markers().size());
    }

    private static void writeStreams(XdfWriter w, EegRecording rec) throws IOException {
        int ch = rec.channels().size();
        double rate = rec.rateHz();
        long total = rec.samples();
        List<EegMarker> markers = rec.markers();
        float[] values = new float[CHUNK_SAMPLES * ch];
        double[] stamps = new double[CHUNK_SAMPLES];
        String[] text = new String[1];
        double[] markerStamp = new double[1];
        int nextMarker = 0;
        double nextBoundaryS = BOUNDARY_EVERY_S;
        for (long first = 0; first < total; first += CHUNK_SAMPLES) {
            int n = (int) Math.min(CHUNK_SAMPLES, total - first);
            rec.readSignal(first, n, values);
            for (int i = 0; i < n; i++) {
                stamps[i] = (first + i) / rate;
            }
            w.samples(SIGNAL_STREAM, values, stamps, n);
            double endS = (first + n) / rate;
            boolean last = first + n >= total;
            while (nextMarker < markers.size()
                    && (last || markers.get(nextMarker).onsetS() < endS)) {
                nextMarker = writeMarker(w, markers, nextMarker, text, markerStamp);
            }
            if (endS >= nextBoundaryS) {
                w.boundary();
                nextBoundaryS += BOUNDARY_EVERY_S;
            }
        }
        while (nextMarker < markers.size()) { // a recording without samples keeps its markers
            nextMarker = writeMarker(w, markers, nextMarker, text, markerStamp);
        }
        if (total > 0) {
            w.clockOffset(SIGNAL_STREAM, (total - 1) / rate, 0.0);
        }
        if (!markers.isEmpty()) {
            w.clockOffset(MARKER_STREAM, markers.get(markers.size() - 1).onsetS(), 0.0);
        }
    }

    private static int writeMarker(
            XdfWriter w, List<EegMarker> markers, int i, String[] text, double[] stamp)
            throws IOException {
        text[0] = markers.get(i).text();
        stamp[0] = markers.get(i).onsetS();
        w.samples(MARKER_STREAM, text, stamp, 1);
        return i + 1;
    }
}
