package org.spikeloop.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.learn.jobs.RegressionScore;
import org.spikeloop.server.recording.SessionRecording;

/**
 * What a session decoded, read back from its XDF recording: every frame of the outputs stream with
 * the label that applied to it, the way the engine applied labels live (the labels stream's last
 * sample stamped at or before the frame's source time stamp: sample and hold). Frames before the
 * first label have none and are left out. Stamps are used as recorded (the session's LSL sources
 * are on this host's clock).
 *
 * @param stampsS the frames' source time stamps, seconds (LSL clock)
 * @param decoded [frame][output] what the session decoded
 * @param labels [frame][output] the label that applied to each frame
 */
record RecordedDecoding(double[] stampsS, double[][] decoded, double[][] labels) {

    /**
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it lacks the outputs or labels stream, or they differ in
     *     width, or no frame has a label
     */
    static RecordedDecoding read(Path file) throws IOException {
        XdfRecording rec = XdfReader.read(file);
        XdfStream outputs = stream(rec, SessionRecording.OUTPUTS, file);
        XdfStream labels = stream(rec, SessionRecording.LABELS, file);
        int o = outputs.samples().channels();
        if (labels.samples().channels() != o) {
            throw new IllegalArgumentException(
                    file
                            + ": "
                            + labels.samples().channels()
                            + " label channels, "
                            + o
                            + " outputs");
        }
        double[] frameStamps = outputs.timestamps();
        double[] labelStamps = labels.timestamps();
        int first = 0;
        while (first < frameStamps.length
                && (labelStamps.length == 0 || frameStamps[first] < labelStamps[0])) {
            first++;
        }
        int n = frameStamps.length - first;
        if (n <= 0) {
            throw new IllegalArgumentException(file + ": no decoded frame has a label");
        }
        double[] stamps = new double[n];
        double[][] decoded = new double[n][o];
        double[][] held = new double[n][o];
        int l = 0;
        for (int i = 0; i < n; i++) {
            int f = first + i;
            stamps[i] = frameStamps[f];
            while (l + 1 < labelStamps.length && labelStamps[l + 1] <= frameStamps[f]) {
                l++;
            }
            for (int k = 0; k < o; k++) {
                decoded[i][k] = outputs.samples().doubleValue(f, k);
                held[i][k] = labels.samples().doubleValue(l, k);
            }
        }
        return new RecordedDecoding(stamps, decoded, held);
    }

    /** By role: the labels stream of an LSL-labelled session keeps its source's name. */
    private static XdfStream stream(XdfRecording rec, String role, Path file) {
        XdfStream s = SessionRecording.streamOf(rec, role);
        if (s == null) {
            throw new IllegalArgumentException(file + ": no " + role + " stream");
        }
        return s;
    }

    int frames() {
        return stampsS.length;
    }

    int outputs() {
        return decoded[0].length;
    }

    /** Index of the first frame stamped at or after {@code fromS} ({@link #frames()} if none). */
    int firstAtOrAfter(double fromS) {
        int i = 0;
        while (i < stampsS.length && stampsS[i] < fromS) {
            i++;
        }
        return i;
    }

    /**
     * R² and MSE per output over frames {@code [from, frames())}, as the training job scores its
     * held-out part ({@link RegressionScore}: 1 − SSE/SST around the window's own label mean).
     */
    RegressionScore scoreFrom(int from) {
        int o = outputs();
        int n = frames() - from;
        float[] predictions = new float[n * o];
        double[] targets = new double[n * o];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < o; k++) {
                predictions[i * o + k] = (float) decoded[from + i][k];
                targets[i * o + k] = labels[from + i][k];
            }
        }
        return RegressionScore.of(predictions, targets, o, 0, n);
    }

    /**
     * Frames averaged over bins of {@code framesPerBin} (decoded and labels alike): {truth,
     * estimate} [bin][output], for {@link DriftScores}.
     */
    double[][][] bins(int framesPerBin) {
        int bins = frames() / framesPerBin;
        int o = outputs();
        double[][] truth = new double[bins][o];
        double[][] estimate = new double[bins][o];
        for (int b = 0; b < bins; b++) {
            for (int j = 0; j < framesPerBin; j++) {
                int f = b * framesPerBin + j;
                for (int k = 0; k < o; k++) {
                    truth[b][k] += labels[f][k] / framesPerBin;
                    estimate[b][k] += decoded[f][k] / framesPerBin;
                }
            }
        }
        return new double[][][] {truth, estimate};
    }
}
