package org.spikeloop.server.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.NanoClock;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.ClockOffsetSource;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;

/**
 * A session's XDF recording, written by the adapters' {@link XdfRecorder} on its own thread: the
 * float32 streams samples, labels and outputs; a session whose labels are cue markers has, instead
 * of labels, the marker stream as it arrived (strings or numbers) and two string streams, {@value
 * #TRIALS} (each trial window's start and end: {@code start <class>}, {@code end <class>}) and
 * {@value #DECISIONS} (each decision, as {@link org.spikeloop.server.engine.Decision#toJson}).
 *
 * <p>Each stream's header is complete ({@link StreamHeader}, as LabRecorder's): an LSL session's
 * samples stream, its continuous LSL labels stream and its marker stream keep their source's full
 * header (name, type, channel labels and units, hostname, source id, created_at, desc); the
 * server's own streams are named {@value #SAMPLES} (gRPC ingest), {@value #LABELS}, {@value
 * #OUTPUTS}, {@value #TRIALS} and {@value #DECISIONS}, with this host, created_at and a uid, labels
 * and outputs labelled one channel per decoder output. Every stream names its session and role in
 * {@code desc/spikeloop}, which readers go by ({@link #streamOf}).
 *
 * <p>Producers (the ingest path, the LSL sources, the {@link RecordingAgent}, the {@link
 * TrialRecordingAgent}) hand chunks over with {@link #offer}, which copies and never blocks: a full
 * queue drops the chunk and counts it ({@link #droppedChunks}).
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

    /**
     * Roles of the streams (and the names of the server's own: a gRPC session's samples, labels,
     * outputs, trials, decisions; an LSL session's samples, labels and markers streams keep their
     * sources' names).
     */
    public static final String SAMPLES = "samples";

    public static final String LABELS = "labels";
    public static final String OUTPUTS = "outputs";
    public static final String MARKERS = "markers";
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
     * and {@value #DECISIONS} streams, and no {@value #LABELS} stream. The samples header is the
     * server's own ({@link #headers}, {@link #markerHeaders}).
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
        StreamHeader samples =
                StreamHeader.local(
                        SAMPLES, "Samples", channels, sampleRateHz, sessionId + "." + SAMPLES);
        Headers h =
                markerSource == null
                        ? headers(
                                sessionId,
                                samples,
                                null,
                                frontEnd,
                                outputNames(outputs),
                                outputRateHz)
                        : markerHeaders(
                                sessionId,
                                samples,
                                markerSource,
                                classNames.size() == outputs ? classNames : outputNames(outputs),
                                frontEnd,
                                outputRateHz);
        return open(sessionId, file, h, samplesClockSynced, config);
    }

    /**
     * The headers of a session recording.
     *
     * @param samples the samples stream's header (a copy of the LSL source's, or the server's own)
     * @param labels the labels stream's header, or null (the labels are cue markers)
     * @param outputs the outputs stream's header
     * @param markers the cue marker stream's header (the source's, in its own format), or null
     * @param trials the trial windows' header, or null (no markers)
     * @param decisions the decisions' header, or null (no markers)
     */
    public record Headers(
            StreamInfo samples,
            StreamInfo labels,
            StreamInfo outputs,
            StreamInfo markers,
            StreamInfo trials,
            StreamInfo decisions) {}

    /**
     * The headers of a session's recording whose labels are targets: {@code samples} (with the
     * session and role added, and the front-end, if any, named), the labels (the source's, or the
     * server's own {@value #LABELS}) and the server's own {@value #OUTPUTS}, one channel per
     * decoder output labelled {@code outputNames} (a label row is the target of the output of the
     * same name).
     *
     * @param samples the samples header: {@link StreamHeader#copyOf} the LSL source's full info, or
     *     {@link StreamHeader#local} for gRPC ingest
     * @param labels the labels header when the rows are a source's own (continuous LSL labels:
     *     {@link StreamHeader#copyOf}), or null for the server's own, labelled {@code outputNames}
     * @param frontEnd a description of the front-end, or "" for none
     * @param outputNames one name per decoder output
     * @param outputRateHz the decoder's step rate
     */
    public static Headers headers(
            String sessionId,
            StreamHeader samples,
            StreamHeader labels,
            String frontEnd,
            List<String> outputNames,
            double outputRateHz) {
        int outputs = outputNames.size();
        StreamHeader l =
                labels != null
                        ? labels
                        : StreamHeader.local(LABELS, "Labels", outputs, 0, sessionId + "." + LABELS)
                                .channels(outputNames, "", "target");
        return new Headers(
                samples(sessionId, samples, frontEnd),
                l.session(sessionId, LABELS).info(),
                outputs(sessionId, outputNames, outputRateHz),
                null,
                null,
                null);
    }

    /**
     * The headers of a session's recording whose labels are cue markers: {@code samples} as in
     * {@link #headers}, the marker stream under its source's header and format, the server's own
     * {@value #OUTPUTS} labelled by class, and the string streams {@value #TRIALS} and {@value
     * #DECISIONS}, whose headers name the classes in order ({@code
     * <desc><classes><class>left</class>...</classes></desc>}).
     *
     * @param markerSource the marker stream's full info, as liblsl gave it
     * @param classNames the classes by index (one per decoder output)
     */
    public static Headers markerHeaders(
            String sessionId,
            StreamHeader samples,
            StreamInfo markerSource,
            List<String> classNames,
            String frontEnd,
            double outputRateHz) {
        return new Headers(
                samples(sessionId, samples, frontEnd),
                null,
                outputs(sessionId, classNames, outputRateHz),
                StreamHeader.asIs(markerSource).session(sessionId, MARKERS).info(),
                strings(sessionId, TRIALS, classNames),
                strings(sessionId, DECISIONS, classNames));
    }

    private static StreamInfo samples(String sessionId, StreamHeader samples, String frontEnd) {
        return samples.session(sessionId, SAMPLES).descText(FRONT_END_ELEMENT, frontEnd).info();
    }

    private static StreamInfo outputs(
            String sessionId, List<String> outputNames, double outputRateHz) {
        return StreamHeader.local(
                        OUTPUTS,
                        "Decoded",
                        outputNames.size(),
                        outputRateHz,
                        sessionId + "." + OUTPUTS)
                .channels(outputNames, "", "decoded")
                .session(sessionId, OUTPUTS)
                .info();
    }

    /** A string marker stream of the session (irregular), its header naming the classes. */
    private static StreamInfo strings(String sessionId, String name, List<String> classNames) {
        return StreamHeader.local(
                        name, "Markers", 1, ChannelFormat.STRING, 0, sessionId + "." + name)
                .classes(classNames)
                .session(sessionId, name)
                .info();
    }

    /**
     * The stream of {@code rec} that a session recording gave {@code role} ({@value #SAMPLES},
     * {@value #LABELS}, {@value #OUTPUTS}, ...), else the one named {@code role} (a recording from
     * before roles were written), else null. By role first: an LSL session's samples and labels
     * streams keep their sources' names.
     */
    public static XdfStream streamOf(XdfRecording rec, String role) {
        for (XdfStream s : rec.streams()) {
            if (StreamHeader.roleOf(s.headerXml()).equals(role)) {
                return s;
            }
        }
        for (XdfStream s : rec.streams()) {
            if (s.info().name().equals(role)) {
                return s;
            }
        }
        return null;
    }

    /** {@code output0 .. output(n-1)}: the names of outputs that have no better one. */
    public static List<String> outputNames(int outputs) {
        List<String> names = new ArrayList<>(outputs);
        for (int k = 0; k < outputs; k++) {
            names.add("output" + k);
        }
        return names;
    }

    /**
     * Starts recording a session with the given stream headers ({@link #headers}, {@link
     * #markerHeaders}). Never throws for an I/O failure: a file that cannot be created gives a
     * recording that records nothing and reports one write error.
     *
     * @param samplesClockSynced whether sample stamps are already on this host's clock (LSL sources
     *     with clock sync: ClockOffsets of 0 are written); gRPC stamps are the client's own, so no
     *     offset is claimed for them
     */
    public static SessionRecording open(
            String sessionId,
            Path file,
            Headers headers,
            boolean samplesClockSynced,
            XdfRecorder.Config config) {
        NanoClock clock = NanoClock.system();
        XdfRecorder recorder = null;
        try {
            recorder = new XdfRecorder(file, config, () -> clock.nanoTime() * 1e-9, clock);
            ClockOffsetSource inputs =
                    samplesClockSynced ? ClockOffsetSource.local() : timeoutS -> Double.NaN;
            int s = recorder.addStream(headers.samples(), inputs);
            int l = headers.labels() == null ? 0 : recorder.addStream(headers.labels(), inputs);
            int o = recorder.addStream(headers.outputs(), inputs);
            int m = 0;
            int t = 0;
            int d = 0;
            if (headers.markers() != null) {
                // Marker stamps are on this host's clock (clock-synced inlet), whatever the
                // samples'.
                m = recorder.addStream(headers.markers(), ClockOffsetSource.local());
                t = recorder.addStream(headers.trials(), inputs);
                d = recorder.addStream(headers.decisions(), inputs);
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
