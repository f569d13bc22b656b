package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfSamples;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.learn.jobs.TrialSequence;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.learn.trials.InvalidTrialsException;
import org.spikeloop.learn.trials.MarkerText;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.learn.trials.TrialSegmenter;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.StageSpec;

/**
 * Reads the training data of a classification job from XDF recordings: the inputs stream turned
 * into decoder input frames as the session made them ({@link XdfInputs}), and a marker stream —
 * strings, or numbers (one channel of event codes, matched as {@link MarkerText}) — cut into trials
 * by the task's {@link TrialProtocol} ({@link TrialSegmenter#segment}). Works on session recordings
 * and on raw recordings (any XDF with an inputs stream and a marker stream).
 *
 * <p>Each recording's marker stream must segment cleanly (a class may be missing from one of
 * several recordings, not from all): unknown markers (listed with their counts), overlapping trial
 * windows, end cues before a window opens, stamps out of order are refused naming the file. A trial
 * whose window is not inside the inputs stream's span (the recording stopped mid-trial) or the time
 * range is left out and counted; every class must keep at least one trial. Several recordings are
 * read in order and joined: their frames must follow each other in time.
 */
final class XdfTrialData {
    private XdfTrialData() {}

    /**
     * The trials and what the report says about them.
     *
     * @param sequence the frames and trials of every recording, in order
     * @param markerTrials trials the marker streams held
     * @param leftOut trials left out because their window is not inside the inputs or the range
     * @param frontEnd the front-end run over the source samples (the first recording's), or null
     * @param frontEndFrom where the front-end came from: "recording", "config" or "" (none)
     * @param skippedNonFinite source samples skipped for a non-finite value
     */
    record Trials(
            TrialSequence sequence,
            int markerTrials,
            int leftOut,
            FrontEndSpec frontEnd,
            String frontEndFrom,
            int skippedNonFinite) {}

    /**
     * @param frontEnd the job config's {@code frontEnd} stages, or null
     * @param inputs the architecture's inputs
     * @throws InvalidJobException naming the file and the problem
     */
    static Trials read(
            List<Path> files,
            String inputsStream,
            String markersStream,
            double fromS,
            double toS,
            List<StageSpec> frontEnd,
            int inputs,
            TrialProtocol protocol) {
        XdfTrainingData.checkRequest(files, fromS, toS);
        List<double[]> xs = new ArrayList<>();
        List<double[]> stamps = new ArrayList<>();
        List<float[]> sources = new ArrayList<>();
        List<double[]> sourceStamps = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        int sourceChannels = -1;
        double sourceRate = Double.NaN;
        int markerTrials = 0;
        int leftOut = 0;
        int skipped = 0;
        String from = null;
        FrontEndSpec spec = null;
        double lastS = Double.NEGATIVE_INFINITY;
        for (Path file : files) {
            XdfRecording rec = XdfTrainingData.open(file);
            XdfStream in = XdfTrainingData.find(rec, inputsStream, file, "inputs");
            XdfStream mk = XdfTrainingData.find(rec, markersStream, file, "labels");
            XdfInputs.Frames f = XdfInputs.read(in, file, frontEnd, inputs);
            if (sourceChannels >= 0
                    && (f.rawChannels() != sourceChannels
                            || Double.compare(f.rawRateHz(), sourceRate) != 0
                            || !f.frontEndFrom().equals(from))) {
                throw new InvalidJobException(
                        "recording "
                                + file
                                + ": its inputs stream ("
                                + f.rawChannels()
                                + " channels at "
                                + f.rawRateHz()
                                + " Hz, front-end from '"
                                + f.frontEndFrom()
                                + "') differs from the first recording's");
            }
            sourceChannels = f.rawChannels();
            sourceRate = f.rawRateHz();
            if (from == null) {
                spec = f.frontEnd();
            } else if (spec != null
                    && FrontEndJson.difference(spec.stages(), f.frontEnd().stages()) != null) {
                throw new InvalidJobException(
                        "recording "
                                + file
                                + ": its front-end differs from the first recording's ("
                                + FrontEndJson.difference(spec.stages(), f.frontEnd().stages())
                                + ")");
            }
            from = f.frontEndFrom();
            skipped += f.skippedNonFinite();
            if (f.frames() == 0) {
                throw new InvalidJobException(
                        "recording " + file + ": inputs stream '" + inputsStream + "' is empty");
            }
            if (f.stampsS()[0] <= lastS) {
                throw new InvalidJobException(
                        "recording "
                                + file
                                + " starts at "
                                + f.stampsS()[0]
                                + " s, not after the previous recording ends ("
                                + lastS
                                + " s): give recordings in time order");
            }
            lastS = f.stampsS()[f.frames() - 1];
            List<Trial> found = segment(mk, file, protocol);
            markerTrials += found.size();
            double firstS = Math.max(f.stampsS()[0], Double.isNaN(fromS) ? -1e300 : fromS);
            double endS = Math.min(lastS, Double.isNaN(toS) ? 1e300 : toS);
            for (Trial t : found) {
                if (t.startS() >= firstS && t.endS() <= endS) {
                    trials.add(
                            new Trial(
                                    trials.size(), t.classIndex(), t.cue(), t.startS(), t.endS()));
                } else {
                    leftOut++;
                }
            }
            xs.add(f.x());
            stamps.add(f.stampsS());
            sources.add(f.raw());
            sourceStamps.add(f.rawStampsS());
        }
        int[] count = new int[protocol.classCount()];
        for (Trial t : trials) {
            count[t.classIndex()]++;
        }
        for (int k = 0; k < count.length; k++) {
            if (count[k] == 0) {
                throw new InvalidJobException(
                        "labels: class '"
                                + protocol.className(k)
                                + "' has no trial inside the inputs"
                                + (Double.isNaN(fromS) && Double.isNaN(toS)
                                        ? ""
                                        : " and the time range")
                                + " ("
                                + markerTrials
                                + " trials in the marker streams, "
                                + leftOut
                                + " left out)");
            }
        }
        try {
            return new Trials(
                    new TrialSequence(
                            concat(xs),
                            inputs,
                            concat(stamps),
                            trials,
                            protocol.classNames(),
                            concatFloats(sources),
                            sourceChannels,
                            sourceRate,
                            concat(sourceStamps)),
                    markerTrials,
                    leftOut,
                    spec,
                    from,
                    skipped);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("recordings " + files + ": " + e.getMessage(), e);
        }
    }

    /** The trials of one marker stream (strings, or one channel of numbers). */
    private static List<Trial> segment(XdfStream mk, Path file, TrialProtocol protocol) {
        String name = mk.info().name();
        if (mk.info().channelCount() != 1) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": labels stream '"
                            + name
                            + "' has "
                            + mk.info().channelCount()
                            + " channels; a classification job reads a marker stream (one"
                            + " channel of strings or numbers)");
        }
        XdfSamples s = mk.samples();
        double[] ts = mk.timestamps();
        String[] markers = new String[ts.length];
        boolean strings = mk.info().format() == ChannelFormat.STRING;
        for (int i = 0; i < ts.length; i++) {
            if (strings) {
                markers[i] = s.stringValue(i, 0);
            } else {
                double v = s.doubleValue(i, 0);
                if (!Double.isFinite(v)) {
                    throw new InvalidJobException(
                            "recording "
                                    + file
                                    + ": labels stream '"
                                    + name
                                    + "' has a non-finite marker value at sample "
                                    + i);
                }
                markers[i] =
                        mk.info().format() == ChannelFormat.FLOAT32
                                ? MarkerText.of((float) v)
                                : MarkerText.of(v);
            }
        }
        try {
            return TrialSegmenter.segment(protocol, ts, markers, false);
        } catch (InvalidTrialsException e) {
            throw new InvalidJobException(
                    "recording " + file + ": labels stream '" + name + "': " + e.getMessage(), e);
        }
    }

    private static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] r = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    private static float[] concatFloats(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] r = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }
}
