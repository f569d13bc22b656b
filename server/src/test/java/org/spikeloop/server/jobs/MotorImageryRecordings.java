package org.spikeloop.server.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.EegMontage;
import org.spikeloop.adapters.sim.MotorImageryEeg;
import org.spikeloop.adapters.xdf.XdfWriter;

/**
 * Raw XDF recordings of simulated cue-based motor-imagery EEG ({@link MotorImageryEeg}) for
 * classification job tests: an EEG stream (float32 µV at the simulator's rate, channel labels from
 * the montage) and a marker stream ({@code trial_start}, the cue, {@code trial_end}) as strings or,
 * with {@link Markers#NUMERIC}, as GDF-style event codes in a float32 channel (768 trial start, 769
 * left hand, 770 right hand, 800 trial end).
 */
public final class MotorImageryRecordings {
    public static final String EEG = "mi-eeg";
    public static final String MARKERS = "mi-markers";

    /** The Graz montage of the example job config: 4 channels around the hand areas. */
    public static final EegMontage MONTAGE = EegMontage.of("C3", "Cz", "C4", "FCz");

    /** How the markers are written. */
    public enum Markers {
        STRINGS,
        NUMERIC
    }

    private MotorImageryRecordings() {}

    /** The simulator's settings for these recordings (256 Hz, the 4-channel montage, 2 classes). */
    public static EegConfig.Builder config(long seed) {
        return EegConfig.builder().montage(MONTAGE).sampleRateHz(256).classes(2).seed(seed);
    }

    /**
     * Records until {@code trials} trials have ended, then 2 s more, from stamp {@code startS}.
     *
     * @param edit changes the markers as written (a test's bad input), or null
     */
    public static void write(
            Path file,
            EegConfig config,
            int trials,
            double startS,
            Markers markers,
            UnaryOperator<List<Object[]>> edit)
            throws IOException {
        MotorImageryEeg eeg = new MotorImageryEeg(config);
        int c = eeg.channels();
        double rate = config.sampleRateHz();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            labels.add(config.montage().channelNames().get(i));
        }
        List<Object[]> events = new ArrayList<>(); // {stamp, marker}
        int chunk = 64;
        float[] buf = new float[chunk * c];
        double[] stamps = new double[chunk];
        float[] frame = new float[c];
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(
                    1,
                    StreamInfo.builder(EEG, "EEG", c, ChannelFormat.FLOAT32)
                            .nominalSrateHz(rate)
                            .channelLabels(labels)
                            .build());
            w.streamHeader(
                    2,
                    StreamInfo.builder(
                                    MARKERS,
                                    "Markers",
                                    1,
                                    markers == Markers.STRINGS
                                            ? ChannelFormat.STRING
                                            : ChannelFormat.FLOAT32)
                            .nominalSrateHz(0)
                            .build());
            long i = 0;
            int ended = 0;
            long tail = -1;
            while (tail != 0) {
                for (int k = 0; k < chunk; k++, i++) {
                    String m = eeg.step(frame);
                    System.arraycopy(frame, 0, buf, k * c, c);
                    stamps[k] = startS + i / rate;
                    if (m != null) {
                        events.add(new Object[] {stamps[k], m});
                        if (m.equals(EegConfig.TRIAL_END) && ++ended == trials) {
                            tail = Math.round(2 * rate);
                        }
                    }
                    if (tail > 0) {
                        tail--;
                    }
                }
                w.samples(1, buf, stamps, chunk);
            }
            List<Object[]> written = edit == null ? events : edit.apply(events);
            double[] ts = new double[written.size()];
            for (int k = 0; k < ts.length; k++) {
                ts[k] = (double) written.get(k)[0];
            }
            if (markers == Markers.STRINGS) {
                String[] text = new String[ts.length];
                for (int k = 0; k < ts.length; k++) {
                    text[k] = (String) written.get(k)[1];
                }
                w.samples(2, text, ts, ts.length);
            } else {
                float[] codes = new float[ts.length];
                for (int k = 0; k < ts.length; k++) {
                    codes[k] = code((String) written.get(k)[1]);
                }
                w.samples(2, codes, ts, ts.length);
            }
            w.streamFooters();
        }
    }

    /** The GDF event code of a simulator marker. */
    static float code(String marker) {
        return switch (marker) {
            case EegConfig.TRIAL_START -> 768f;
            case "left_hand" -> 769f;
            case "right_hand" -> 770f;
            case EegConfig.TRIAL_END -> 800f;
            default -> Float.parseFloat(marker);
        };
    }
}
