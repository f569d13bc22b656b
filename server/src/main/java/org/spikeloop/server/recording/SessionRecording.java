package org.spikeloop.server.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.NanoClock;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.ClockOffsetSource;
import org.spikeloop.adapters.xdf.XdfRecorder;

/**
 * A session's XDF recording, written by the adapters' {@link XdfRecorder} on its own thread: the
 * float32 streams {@value #SAMPLES}, {@value #LABELS} and {@value #OUTPUTS}; a session whose labels
 * are cue markers has, instead of {@value #LABELS}, the marker stream as it arrived (its own
 * header, strings or numbers) and two string streams, {@value #TRIALS} (each trial window's start
 * and end: {@code start <class>}, {@code end <class>}) and {@value #DECISIONS} (each decision, as
 * {@link org.spikeloop.server.engine.Decision#toJson}). Producers (the ingest path, the LSL
 * sources, the {@link RecordingAgent}, the {@link TrialRecordingAgent}) hand chunks over with
 * {@link #offer}, which copies and never blocks: a full queue drops the chunk and counts it ({@link
 * #droppedChunks}).
 *
 * <p>Write errors: the recorder stops at its first {@code IOException}; {@link #writeErrors} counts
 * that failure, or the failure to create the file. Either way the session keeps decoding; only the
 * recording is lost from then on.
 *
 * <p>Threading: {@link #offer} from any producer thread; {@link #close} once, on the control plane,
 * after the producers stopped.
 */
public final class SessionRecording implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRecording.class);

    /** Stream names in the file (the session id is in each stream's source_id). */
    public static final String SAMPLES = "samples";

    public static final String LABELS = "labels";
    public static final String OUTPUTS = "outputs";
    public static final String TRIALS = "trials";
    public static final String DECISIONS = "decisions";

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String sessionId;
    private final Path file;
    private final XdfRecorder recorder; // null when the file could not be created
    private final IOException openFailure;
    private final int samplesId;
    private final int labelsId;
    private final int outputsId;
    private final int markersId;
    private final int trialsId;
    private final int decisionsId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SessionRecording(
            String sessionId,
            Path file,
            XdfRecorder recorder,
            IOException openFailure,
            int samplesId,
            int labelsId,
            int outputsId,
            int markersId,
            int trialsId,
            int decisionsId) {
        this.sessionId = sessionId;
        this.file = file;
        this.recorder = recorder;
        this.openFailure = openFailure;
        this.samplesId = samplesId;
        this.labelsId = labelsId;
        this.outputsId = outputsId;
        this.markersId = markersId;
        this.trialsId = trialsId;
        this.decisionsId = decisionsId;
    }

    /** {@code <dir>/<session-id>-<UTC time>.xdf}. */
    public static Path fileFor(Path dir, String sessionId, Instant created) {
        return dir.resolve(sessionId + "-" + FILE_TIME.format(created) + ".xdf");
    }

    /**
     * Starts recording a session into {@code file}. Never throws for an I/O failure: a file that
     * cannot be created gives a recording that records nothing and reports one write error.
     *
     * @param channels input channels (the samples stream)
     * @param sampleRateHz the session's sample rate (samples and outputs streams)
     * @param outputs decoder outputs (labels and outputs streams)
     * @param samplesClockSynced whether sample stamps are already on this host's clock (LSL sources
     *     with clock sync: ClockOffsets of 0 are written); gRPC stamps are the client's own, so no
     *     offset is claimed for them
     */
    public static SessionRecording open(
            String sessionId,
            Path file,
            int channels,
            double sampleRateHz,
            int outputs,
            boolean samplesClockSynced,
            XdfRecorder.Config config) {
        return open(
                sessionId,
                file,
                channels,
                sampleRateHz,
                outputs,
                sampleRateHz,
                "",
                samplesClockSynced,
                config);
    }

    /** The header element of the samples stream that names the session's front-end. */
    public static final String FRONT_END_ELEMENT = "spikeloop_front_end";

    /**
     * Starts recording a session whose decoder runs at its own rate behind a front-end: the samples
     * stream keeps the raw source samples ({@code channels} at {@code sampleRateHz}) and its header
     * holds the front-end's settings in {@code <desc><}{@value #FRONT_END_ELEMENT}{@code >}, so a
     * training job rebuilds the same front-end and runs it over these samples; the outputs stream
     * runs at {@code outputRateHz}.
     *
     * @param frontEnd the front-end's settings as {@code org.spikeloop.learn.train.FrontEndJson}
     *     writes them, or "" for none
     */
    public static SessionRecording open(
            String sessionId,
            Path file,
            int channels,
            double sampleRateHz,
            int outputs,
            double outputRateHz,
            String frontEnd,
            boolean samplesClockSynced,
            XdfRecorder.Config config) {
        return open(
                sessionId,
                file,
                channels,
                sampleRateHz,
                outputs,
                outputRateHz,
                frontEnd,
                samplesClockSynced,
                null,
                List.of(),
                config);
    }

    /**
     * Starts recording a session; with {@code markerSource} (a session whose labels are cue
     * markers) the file has the marker stream under the source's own header, the {@value #TRIALS}
     * and {@value #DECISIONS} streams, and no {@value #LABELS} stream.
     *
     * @param markerSource the marker stream's full info (liblsl's XML, kept as it is), or null
     * @param classNames the classes by index, named in the trials' and decisions' headers
     */
    public static SessionRecording open(
            String sessionId,
            Path file,
            int channels,
            double sampleRateHz,
            int outputs,
            double outputRateHz,
            String frontEnd,
            boolean samplesClockSynced,
            StreamInfo markerSource,
            List<String> classNames,
            XdfRecorder.Config config) {
        NanoClock clock = NanoClock.system();
        XdfRecorder recorder = null;
        try {
            recorder = new XdfRecorder(file, config, () -> clock.nanoTime() * 1e-9, clock);
            ClockOffsetSource inputs =
                    samplesClockSynced ? ClockOffsetSource.local() : timeoutS -> Double.NaN;
            int s =
                    recorder.addStream(
                            withFrontEnd(
                                    info(sessionId, SAMPLES, "Samples", channels, sampleRateHz),
                                    frontEnd),
                            inputs);
            int l =
                    markerSource == null
                            ? recorder.addStream(
                                    info(sessionId, LABELS, "Labels", outputs, 0), inputs)
                            : 0;
            int o =
                    recorder.addStream(
                            info(sessionId, OUTPUTS, "Decoded", outputs, outputRateHz), inputs);
            int m = 0;
            int t = 0;
            int d = 0;
            if (markerSource != null) {
                // Marker stamps are on this host's clock (clock-synced inlet), whatever the
                // samples'.
                m = recorder.addStream(markerSource, ClockOffsetSource.local());
                t = recorder.addStream(markers(sessionId, TRIALS, classNames), inputs);
                d = recorder.addStream(markers(sessionId, DECISIONS, classNames), inputs);
            }
            return new SessionRecording(sessionId, file, recorder, null, s, l, o, m, t, d);
        } catch (IOException e) {
            LOG.warn("session {}: cannot record to {}: {}", sessionId, file, e.toString());
            closeQuietly(recorder);
            return new SessionRecording(sessionId, file, null, e, 0, 0, 0, 0, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(recorder);
            IOException io = new IOException("interrupted while starting the recording", e);
            return new SessionRecording(sessionId, file, null, io, 0, 0, 0, 0, 0, 0);
        }
    }

    private static StreamInfo info(
            String sessionId, String name, String type, int channels, double rateHz) {
        return StreamInfo.builder(name, type, channels, ChannelFormat.FLOAT32)
                .nominalSrateHz(rateHz)
                .sourceId(sessionId + "." + name)
                .build();
    }

    /**
     * A string marker stream of the session (irregular), its header naming the classes in order:
     * {@code <desc><classes><class>left</class>...</classes></desc>}.
     */
    private static StreamInfo markers(String sessionId, String name, List<String> classNames) {
        StreamInfo info =
                StreamInfo.builder(name, "Markers", 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId(sessionId + "." + name)
                        .build();
        StringBuilder element = new StringBuilder("<desc>\n\t\t<classes>");
        for (String c : classNames) {
            element.append("\n\t\t\t<class>").append(escape(c)).append("</class>");
        }
        element.append("\n\t\t</classes>\n\t</desc>");
        return StreamInfo.fromXml(info.toXml().replace("<desc />", element.toString()));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The info with {@code <desc><spikeloop_front_end>frontEnd</...></desc>} (none if ""). */
    private static StreamInfo withFrontEnd(StreamInfo info, String frontEnd) {
        if (frontEnd == null || frontEnd.isEmpty()) {
            return info;
        }
        String element =
                "<desc>\n\t\t<"
                        + FRONT_END_ELEMENT
                        + ">"
                        + escape(frontEnd)
                        + "</"
                        + FRONT_END_ELEMENT
                        + ">\n\t</desc>";
        return StreamInfo.fromXml(info.toXml().replace("<desc />", element));
    }

    private static void closeQuietly(XdfRecorder r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException | RuntimeException suppressed) {
                // the first failure is the one reported
            }
        }
    }

    public Path file() {
        return file;
    }

    public int samplesStream() {
        return samplesId;
    }

    public int labelsStream() {
        return labelsId;
    }

    public int outputsStream() {
        return outputsId;
    }

    /** The marker stream as it arrived (0: the session's labels are not markers). */
    public int markersStream() {
        return markersId;
    }

    /** The trial windows' stream (0: none). */
    public int trialsStream() {
        return trialsId;
    }

    /** The decisions' stream (0: none). */
    public int decisionsStream() {
        return decisionsId;
    }

    /**
     * Queues a copy of {@code rows} rows of stream {@code streamId} without blocking.
     *
     * @param values the stream format's array ({@code float[]} for the float32 streams, {@code
     *     String[]} for the string ones, the marker source's own format for its stream)
     * @return false when the chunk was not queued (full queue: counted in {@link #droppedChunks};
     *     or nothing is being recorded)
     */
    public boolean offer(int streamId, Object values, double[] stamps, int rows) {
        return recorder != null && recorder.offer(streamId, values, stamps, rows);
    }

    /** Write failures: the file could not be created, or the recorder stopped on an IOException. */
    public long writeErrors() {
        if (recorder == null) {
            return 1;
        }
        return recorder.failure() == null ? 0 : 1;
    }

    /** Chunks not recorded because the recorder's queue was full (or the recorder had stopped). */
    public long droppedChunks() {
        return recorder == null ? 0 : recorder.droppedChunks();
    }

    /** The write error that stopped the recording, or null. */
    public IOException failure() {
        return recorder == null ? openFailure : recorder.failure();
    }

    /** Writes what is queued, the footers, syncs and closes the file. Idempotent; logs failures. */
    @Override
    public void close() {
        if (recorder == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            recorder.close();
        } catch (IOException e) {
            LOG.warn("session {}: recording {} failed: {}", sessionId, file, e.toString());
        }
    }
}
