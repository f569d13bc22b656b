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
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.recording.StreamHeader;

/**
 * Reads the training data of a job from XDF recordings: the inputs stream (one sample per decoder
 * step) and the labels stream, aligned as the engine aligns them live: each input sample takes the
 * last label whose time stamp is at or before its own (sample and hold); input samples before the
 * first label are dropped. Clocks are synchronised with the recording's ClockOffset chunks (no
 * dejittering, so stamps stay as recorded).
 *
 * <p>Every unusable recording is refused with a message naming the file and the case: missing,
 * truncated or corrupted, no inputs or labels stream, wrong channel count, non-numeric, raw samples
 * of a session with a front-end (not applied here), or no labelled samples in the time range.
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
            int inputs,
            int outputs) {
        List<String> names = new ArrayList<>();
        LabelledSequence s =
                read(files, inputsStream, labelsStream, fromS, toS, inputs, outputs, names);
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
     * @param inputs channels the architecture takes
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
        return read(files, inputsStream, labelsStream, fromS, toS, inputs, outputs, null);
    }

    private static LabelledSequence read(
            List<Path> files,
            String inputsStream,
            String labelsStream,
            double fromS,
            double toS,
            int inputs,
            int outputs,
            List<String> outputNames) {
        if (files == null || files.isEmpty()) {
            throw new InvalidJobException("recordings: at least one XDF file is required");
        }
        if (!Double.isNaN(fromS) && !Double.isNaN(toS) && !(toS > fromS)) {
            throw new InvalidJobException(
                    "time range: to (" + toS + " s) must be after from (" + fromS + " s)");
        }
        List<LabelledSequence> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(
                    readOne(
                            f,
                            inputsStream,
                            labelsStream,
                            fromS,
                            toS,
                            inputs,
                            outputs,
                            parts.isEmpty() ? outputNames : null));
        }
        return LabelledSequence.concat(parts);
    }

    private static LabelledSequence readOne(
            Path file,
            String inputsName,
            String labelsName,
            double fromS,
            double toS,
            int inputs,
            int outputs,
            List<String> outputNames) {
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
        XdfStream in = find(rec, inputsName, file, "inputs");
        XdfStream lab = find(rec, labelsName, file, "labels");
        refuseFrontEnd(in, file);
        check(in, file, "inputs", inputs, "the architecture has " + inputs + " inputs");
        check(lab, file, "labels", outputs, "the architecture has " + outputs + " outputs");
        if (outputNames != null) {
            outputNames.addAll(lab.info().channelLabels());
        }
        if (lab.sampleCount() == 0) {
            throw new InvalidJobException(
                    "recording " + file + ": labels stream '" + labelsName + "' has no samples");
        }
        double[] inStamps = in.timestamps();
        double[] labStamps = lab.timestamps();
        XdfSamples xs = in.samples();
        XdfSamples ls = lab.samples();
        double[] x = new double[inStamps.length * inputs];
        double[] y = new double[inStamps.length * outputs];
        double[] s = new double[inStamps.length];
        int frames = 0;
        int li = -1;
        for (int i = 0; i < inStamps.length; i++) {
            double t = inStamps[i];
            while (li + 1 < labStamps.length && labStamps[li + 1] <= t) {
                li++;
            }
            if (li < 0 || (!Double.isNaN(fromS) && t < fromS) || (!Double.isNaN(toS) && t > toS)) {
                continue;
            }
            for (int c = 0; c < inputs; c++) {
                x[frames * inputs + c] = xs.doubleValue(i, c);
            }
            for (int o = 0; o < outputs; o++) {
                y[frames * outputs + o] = ls.doubleValue(li, o);
            }
            s[frames] = t;
            frames++;
        }
        if (frames == 0) {
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
                    java.util.Arrays.copyOf(x, frames * inputs),
                    java.util.Arrays.copyOf(y, frames * outputs),
                    java.util.Arrays.copyOf(s, frames),
                    inputs,
                    outputs);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("recording " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The stream named {@code name}, else the one a session recording gave that role ({@code
     * desc/spikeloop/role}): an LSL session's samples stream keeps its source's name, and "samples"
     * still finds it.
     */
    private static XdfStream find(XdfRecording rec, String name, Path file, String role) {
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

    /**
     * A session with a front-end records its raw source samples, not the features its decoder
     * stepped on; training jobs do not apply front-ends, so such an inputs stream is refused rather
     * than trained on as if it were decoder input.
     */
    private static void refuseFrontEnd(XdfStream in, Path file) {
        String xml = in.headerXml();
        String open = "<" + SessionRecording.FRONT_END_ELEMENT + ">";
        int start = xml == null ? -1 : xml.indexOf(open);
        if (start < 0) {
            return;
        }
        int end = xml.indexOf("</" + SessionRecording.FRONT_END_ELEMENT + ">", start);
        String frontEnd =
                end < 0
                        ? ""
                        : xml.substring(start + open.length(), end)
                                .replace("&lt;", "<")
                                .replace("&gt;", ">")
                                .replace("&amp;", "&");
        throw new InvalidJobException(
                "recording "
                        + file
                        + ": inputs stream '"
                        + in.info().name()
                        + "' holds the raw samples of a session that decoded them through a"
                        + " front-end ("
                        + frontEnd
                        + "); training jobs do not apply front-ends, so these samples are not"
                        + " the decoder's inputs");
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

    private static String span(double[] stamps) {
        return stamps.length == 0
                ? "empty"
                : "[" + stamps[0] + ", " + stamps[stamps.length - 1] + "] s";
    }
}
