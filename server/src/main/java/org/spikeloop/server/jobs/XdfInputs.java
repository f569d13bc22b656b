package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.xdf.XdfSamples;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.learn.train.FrontEndJson;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.signal.FrontEndChain;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.StageSpec;

/**
 * The decoder's input frames of one recording's inputs stream, made as the session made them: a
 * session recording keeps its raw source samples and names its front-end in the stream's header
 * ({@code <desc><}{@value SessionRecording#FRONT_END_ELEMENT}{@code >}, {@link FrontEndJson}); the
 * job rebuilds that front-end ({@link FrontEndSpec#build}) and runs it over the samples from the
 * recording's first one, as the session's {@code FrontEndFeed} did, so the features are the ones
 * the decoder stepped on, bit for bit. A raw recording (no front-end in its header) goes through
 * the job config's {@code frontEnd}, if any, built on the stream's channel count and nominal rate;
 * otherwise each sample is a frame.
 *
 * <p>A feature frame carries the time stamp of the last source sample it consumed (as the session's
 * input ring does). Non-finite samples are skipped before the front-end, as a session drops them
 * before its front-end; they are counted.
 *
 * <p>Refused (naming the file): a string inputs stream; a front-end in the header that this version
 * cannot read, or whose source differs from the stream's; a job config front-end that differs from
 * the recording's (the first differing setting named); a job front-end on an irregular stream;
 * frames whose width differs from the architecture's inputs.
 */
final class XdfInputs {
    private XdfInputs() {}

    /**
     * The frames of one inputs stream.
     *
     * @param raw the source samples that reached the front-end (finite rows), row-major [N, C]
     * @param rawChannels C
     * @param rawRateHz the stream's nominal rate (0 = irregular)
     * @param rawStampsS their time stamps
     * @param x decoder input frames, row-major [T, inputs]
     * @param stampsS each frame's time stamp (its last source sample's)
     * @param frontEnd the front-end run, or null
     * @param frontEndFrom "recording" (the session's, from its header), "config" (the job's) or ""
     *     (none)
     * @param skippedNonFinite source rows skipped for a non-finite value
     */
    record Frames(
            float[] raw,
            int rawChannels,
            double rawRateHz,
            double[] rawStampsS,
            double[] x,
            double[] stampsS,
            FrontEndSpec frontEnd,
            String frontEndFrom,
            int skippedNonFinite) {
        int frames() {
            return stampsS.length;
        }
    }

    /**
     * @param jobFrontEnd the job config's {@code frontEnd} stages, or null
     * @param inputs the architecture's inputs
     * @throws InvalidJobException naming the file and the problem
     */
    static Frames read(XdfStream in, Path file, List<StageSpec> jobFrontEnd, int inputs) {
        if (in.info().format() == ChannelFormat.STRING) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": inputs stream '"
                            + in.info().name()
                            + "' holds strings, not numbers");
        }
        int channels = in.info().channelCount();
        double rateHz = in.info().nominalSrateHz();
        FrontEndSpec recorded = recordedFrontEnd(in, file);
        FrontEndSpec spec;
        String from;
        if (recorded != null) {
            if (recorded.inputChannels() != channels
                    || Math.abs(recorded.inputRateHz() - rateHz) > 1e-9 * rateHz) {
                throw new InvalidJobException(
                        "recording "
                                + file
                                + ": inputs stream '"
                                + in.info().name()
                                + "' has "
                                + channels
                                + " channels at "
                                + rateHz
                                + " Hz but its front-end was built for "
                                + recorded.inputChannels()
                                + " at "
                                + recorded.inputRateHz()
                                + " Hz");
            }
            if (jobFrontEnd != null) {
                String d = FrontEndJson.difference(recorded.stages(), jobFrontEnd);
                if (d != null) {
                    throw new InvalidJobException(
                            "recording "
                                    + file
                                    + ": the session's front-end differs from the job config's"
                                    + " frontEnd ("
                                    + d
                                    + ", recording vs config); train with the recording's"
                                    + " front-end (leave frontEnd out) or on a recording made"
                                    + " with this one");
                }
            }
            spec = recorded;
            from = "recording";
        } else if (jobFrontEnd != null) {
            if (!(rateHz > 0)) {
                throw new InvalidJobException(
                        "recording "
                                + file
                                + ": inputs stream '"
                                + in.info().name()
                                + "' has no nominal rate (irregular), so the job config's"
                                + " frontEnd cannot run on it");
            }
            try {
                spec = new FrontEndSpec(channels, rateHz, jobFrontEnd);
            } catch (IllegalArgumentException e) {
                throw new InvalidJobException(
                        "config: frontEnd on recording " + file + ": " + e.getMessage(), e);
            }
            from = "config";
        } else {
            spec = null;
            from = "";
        }
        int width = spec == null ? channels : spec.outputChannels();
        if (width != inputs) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": inputs stream '"
                            + in.info().name()
                            + "' has "
                            + channels
                            + " channels"
                            + (spec == null
                                    ? ""
                                    : " and its front-end (from the " + from + ") emits " + width)
                            + ", but the architecture has "
                            + inputs
                            + " inputs");
        }
        return run(in, spec, from, inputs);
    }

    private static Frames run(XdfStream in, FrontEndSpec spec, String from, int inputs) {
        XdfSamples xs = in.samples();
        double[] stamps = in.timestamps();
        int channels = in.info().channelCount();
        int n = stamps.length;
        float[] raw = new float[n * channels];
        double[] rawStamps = new double[n];
        FrontEndChain chain = spec == null ? null : spec.build();
        int k = chain == null ? 1 : chain.decimation();
        double[] x = new double[(n / k + 1) * inputs];
        double[] frameStamps = new double[n / k + 1];
        float[] row = new float[channels];
        float[] out = new float[inputs];
        int rows = 0;
        int frames = 0;
        int skipped = 0;
        for (int s = 0; s < n; s++) {
            boolean finite = Double.isFinite(stamps[s]);
            for (int c = 0; c < channels; c++) {
                row[c] = (float) xs.doubleValue(s, c);
                finite &= Float.isFinite(row[c]);
            }
            if (!finite) {
                skipped++;
                continue;
            }
            System.arraycopy(row, 0, raw, rows * channels, channels);
            rawStamps[rows++] = stamps[s];
            float[] frame = row;
            if (chain != null) {
                if (!chain.accept(row, out)) {
                    continue;
                }
                frame = out;
            }
            if (frames == frameStamps.length) {
                frameStamps = Arrays.copyOf(frameStamps, frames * 2 + 1);
                x = Arrays.copyOf(x, frameStamps.length * inputs);
            }
            for (int c = 0; c < inputs; c++) {
                x[frames * inputs + c] = frame[c];
            }
            frameStamps[frames++] = stamps[s];
        }
        return new Frames(
                Arrays.copyOf(raw, rows * channels),
                channels,
                in.info().nominalSrateHz(),
                Arrays.copyOf(rawStamps, rows),
                Arrays.copyOf(x, frames * inputs),
                Arrays.copyOf(frameStamps, frames),
                spec,
                from,
                skipped);
    }

    /** The front-end a session recording names in its inputs stream's header, or null. */
    static FrontEndSpec recordedFrontEnd(XdfStream in, Path file) {
        String xml = in.headerXml();
        String open = "<" + SessionRecording.FRONT_END_ELEMENT + ">";
        int start = xml == null ? -1 : xml.indexOf(open);
        if (start < 0) {
            return null;
        }
        int end = xml.indexOf("</" + SessionRecording.FRONT_END_ELEMENT + ">", start);
        String text =
                end < 0
                        ? ""
                        : xml.substring(start + open.length(), end)
                                .replace("&lt;", "<")
                                .replace("&gt;", ">")
                                .replace("&quot;", "\"")
                                .replace("&apos;", "'")
                                .replace("&amp;", "&");
        try {
            return FrontEndJson.read(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(
                    "recording "
                            + file
                            + ": inputs stream '"
                            + in.info().name()
                            + "' holds the raw samples of a session whose front-end ("
                            + text
                            + ") cannot be rebuilt: "
                            + e.getMessage()
                            + " (recordings made before front-ends were recorded as settings"
                            + " cannot be trained on)",
                    e);
        }
    }
}
