package org.spikeloop.server.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfSamples;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.server.recording.StreamHeader;
import org.spikeloop.signal.StageSpec;

/**
 * Reads the training data of a regression job from XDF recordings: the inputs stream, turned into
 * decoder input frames as the session made them ({@link XdfInputs}: the session's front-end, named
 * in the recording, or the job config's, run over the raw samples), and the labels stream, aligned
 * as the engine aligns them live: each frame takes the last label whose time stamp is at or before
 * its own (sample and hold); frames before the first label are dropped. Clocks are synchronised
 * with the recording's ClockOffset chunks (no dejittering, so stamps stay as recorded).
 *
 * <p>Every unusable recording is refused with a message naming the file and the case: missing,
 * truncated or corrupted, no inputs or labels stream, wrong channel count, non-numeric, a front-end
 * that cannot be rebuilt or differs from the job's, or no labelled samples in the time range.
 */
public final class XdfTrainingData {
    private XdfTrainingData() {}

    /**
     * The training data and the names of its outputs.
     *
     * @param sequence the labelled frames of every recording, in order
     * @param outputNames the labels stream's channel labels (of the first recording), or {@code
     *     output 0 … output O−1} when it has none
     */
    public record Labelled(LabelledSequence sequence, List<String> outputNames) {}

    /**
     * As {@link #read}, with the outputs' names.
     *
     * @throws InvalidJobException naming the file and the problem
     */
    public static Labelled readLabelled(
            List<Path> files,
            String inputsStream,
            String labelsStream,
            double fromS,
            double toS,
            List<StageSpec> frontEnd,
            int inputs,
            int outputs) {
        List<String> names = new ArrayList<>();
        LabelledSequence s =
                read(
                        files,
                        inputsStream,
                        labelsStream,
                        fromS,
                        toS,
                        frontEnd,
                        inputs,
                        outputs,
                        names);
        if (names.size() != outputs) {
            names.clear();
            for (int k = 0; k < outputs; k++) {
                names.add("output " + k);
            }
        }
        return new Labelled(s, List.copyOf(names));
    }

    /**
     * @param files recordings, read in order and concatenated
     * @param inputsStream name of the inputs stream
     * @param labelsStream name of the labels stream
     * @param fromS first input time stamp to use (NaN: from the start)
     * @param toS last input time stamp to use (NaN: to the end)
     * @param inputs channels the architecture takes (after the front-end)
     * @param outputs outputs the architecture produces (label width)
     * @throws InvalidJobException naming the file and the problem
     */
    public static LabelledSequence read(
            List<Path> files,
            String inputsStream,
            String labelsStream,
            double fromS,
            double toS,
            int inputs,
            int outputs) {
        return read(files, inputsStream, labelsStream, fromS, toS, null, inputs, outputs, null);
    }

    private static LabelledSequence read(
            List<Path> files,
            String inputsStream,
            String labelsStream,
            double fromS,
            double toS,
            List<StageSpec> frontEnd,
            int inputs,
            int outputs,
            List<String> outputNames) {
        checkRequest(files, fromS, toS);
        List<LabelledSequence> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(
                    readOne(
                            f,
                            inputsStream,
                            labelsStream,
                            fromS,
                            toS,
                            frontEnd,
                            inputs,
                            outputs,
                            parts.isEmpty() ? outputNames : null));
        }
        return LabelledSequence.concat(parts);
    }

    /**
     * Refuses a job that names no recording or whose time range ends before it starts (NaN: open),
     * before any file is read.
     *
     * @throws InvalidJobException naming the field
     */
    static void checkRequest(List<Path> files, double fromS, double toS) {
        if (files == null || files.isEmpty()) {
            throw new InvalidJobException("recordings: at least one XDF file is required");
        }
        if (!Double.isNaN(fromS) && !Double.isNaN(toS) && !(toS > fromS)) {
            throw new InvalidJobException(
                    "time range: to (" + toS + " s) must be after from (" + fromS + " s)");
        }
    }

    private static LabelledSequence readOne(
            Path file,
            String inputsName,
            String labelsName,
            double fromS,
            double toS,
            List<StageSpec> frontEnd,
            int inputs,
            int outputs,
            List<String> outputNames) {
        XdfRecording rec = open(file);
        XdfStream in = find(rec, inputsName, file, "inputs");
        XdfStream lab = find(rec, labelsName, file, "labels");
        XdfInputs.Frames frames = XdfInputs.read(in, file, frontEnd, inputs);
        check(lab, file, "labels", outputs, "the architecture has " + outputs + " outputs");
        if (outputNames != null) {
            outputNames.addAll(lab.info().channelLabels());
        }
        if (lab.sampleCount() == 0) {
            throw new InvalidJobException(
                    "recording " + file + ": labels stream '" + labelsName + "' has no samples");
        }
        double[] inStamps = frames.stampsS();
        double[] labStamps = lab.timestamps();
        double[] fx = frames.x();
        XdfSamples ls = lab.samples();
        double[] x = new double[inStamps.length * inputs];
        double[] y = new double[inStamps.length * outputs];
        double[] s = new double[inStamps.length];
        int n = 0;
        int li = -1;
        for (int i = 0; i < inStamps.length; i++) {
            double t = inStamps[i];
            while (li + 1 < labStamps.length && labStamps[li + 1] <= t) {
                li++;
            }
            if (li < 0 || (!Double.isNaN(fromS) && t < fromS) || (!Double.isNaN(toS) && t > toS)) {
                continue;
            }
            System.arraycopy(fx, i * inputs, x, n * inputs, inputs);
            for (int o = 0; o < outputs; o++) {
                y[n * outputs + o] = ls.doubleValue(li, o);
            }
            s[n] = t;
            n++;
        }
        if (n == 0) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": no labelled input samples in the time range ["
                            + fromS
                            + ", "
                            + toS
                            + "] s (inputs "
                            + span(inStamps)
                            + ", labels "
                            + span(labStamps)
                            + ")");
        }
        try {
            return new LabelledSequence(
                    java.util.Arrays.copyOf(x, n * inputs),
                    java.util.Arrays.copyOf(y, n * outputs),
                    java.util.Arrays.copyOf(s, n),
                    inputs,
                    outputs);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("recording " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a recording, refusing a missing, unreadable, truncated or corrupted file.
     *
     * @throws InvalidJobException naming the file and the case
     */
    static XdfRecording open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidJobException("recording " + file + " does not exist");
        }
        XdfRecording rec;
        try {
            rec = XdfReader.read(file, new XdfReader.Options(true, true, false));
        } catch (IOException | RuntimeException e) {
            throw new InvalidJobException(
                    "recording " + file + " cannot be read as XDF: " + e.getMessage(), e);
        }
        if (rec.truncated()) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + " is truncated at byte "
                            + rec.truncatedAtOffset()
                            + " of "
                            + rec.fileBytes()
                            + " (an incomplete final chunk); repair or trim it before training");
        }
        if (!rec.problems().isEmpty()) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + " has "
                            + rec.problems().size()
                            + " corrupted chunk(s), the first at byte "
                            + rec.problems().get(0).offset()
                            + ": "
                            + rec.problems().get(0).reason());
        }
        return rec;
    }

    /**
     * The stream named {@code name}, else the one a session recording gave that role ({@code
     * desc/spikeloop/role}): an LSL session's samples stream keeps its source's name, and "samples"
     * still finds it.
     */
    static XdfStream find(XdfRecording rec, String name, Path file, String role) {
        List<String> names = new ArrayList<>();
        for (XdfStream s : rec.streams()) {
            if (s.info().name().equals(name)) {
                return s;
            }
            names.add(s.info().name());
        }
        for (XdfStream s : rec.streams()) {
            if (StreamHeader.roleOf(s.headerXml()).equals(name)) {
                return s;
            }
        }
        throw new InvalidJobException(
                "recording "
                        + file
                        + " has no "
                        + role
                        + " stream '"
                        + name
                        + "' (streams: "
                        + names
                        + ")"
                        + (role.equals("labels") ? "; a training job needs labelled data" : ""));
    }

    private static void check(XdfStream s, Path file, String role, int width, String why) {
        if (s.info().format() == ChannelFormat.STRING) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": "
                            + role
                            + " stream '"
                            + s.info().name()
                            + "' holds strings, not numbers");
        }
        if (s.info().channelCount() != width) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": "
                            + role
                            + " stream '"
                            + s.info().name()
                            + "' has "
                            + s.info().channelCount()
                            + " channels, but "
                            + why);
        }
    }

    static String span(double[] stamps) {
        return stamps.length == 0
                ? "empty"
                : "[" + stamps[0] + ", " + stamps[stamps.length - 1] + "] s";
    }
}
