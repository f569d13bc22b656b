package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.EegDrift;
import org.spikeloop.adapters.sim.EegMontage;
import org.spikeloop.adapters.sim.MotorImageryEeg;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop sim eeg}: simulated motor-imagery EEG in real time as two LSL outlets: {@code
 * <prefix>-eeg} (type EEG, float32 µV, channel labels from the montage, 250 Hz by default) and
 * {@code <prefix>-markers} (type Markers, string, irregular: trial_start, the cue name, trial_end)
 * stamped with the time of the EEG sample they start at. Runs for {@code --duration} seconds (0:
 * until interrupted).
 */
@Command(
        name = "eeg",
        mixinStandardHelpOptions = true,
        description = "Publish simulated motor-imagery EEG and its cue markers over LSL.")
public final class SimEegCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin SimRunOptions run;

    @Option(
            names = "--classes",
            defaultValue = "2",
            description = "Imagery classes 1-4. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(
            names = "--rate-hz",
            paramLabel = "HZ",
            defaultValue = "250",
            description = "Sample rate. Default: ${DEFAULT-VALUE}.")
    double rateHz;

    @Option(
            names = "--montage",
            paramLabel = "NAMES",
            split = ",",
            description =
                    "The electrodes, comma-separated 10-10 names (e.g. C3,Cz,C4,FCz, the"
                            + " motor-imagery examples' Graz montage). Default: the 22 channels of"
                            + " BCI Competition IV 2a.")
    List<String> montage;

    @Option(
            names = "--erd",
            defaultValue = "0.5",
            description =
                    "Event-related desynchronisation of the mu/beta rhythms during imagery"
                            + " (relative band-power decrease, [0, 1)): the difficulty, lower is"
                            + " harder. Default: ${DEFAULT-VALUE}.")
    double erd;

    @Option(
            names = "--drift",
            defaultValue = "",
            description =
                    "Drift schedule, e.g. 120:amplitude=0.6,150:impedance=7/20/5. Default: none.")
    String drift;

    @Option(
            names = "--chunk-ms",
            defaultValue = "20",
            description = "Push period, ms. Default: ${DEFAULT-VALUE}.")
    int chunkMs;

    @Override
    public Integer call() {
        EegConfig.Builder builder =
                EegConfig.builder()
                        .classes(classes)
                        .sampleRateHz(rateHz)
                        .erdFraction(erd)
                        .seed(run.seed);
        if (montage != null) {
            builder.montage(EegMontage.of(montage.toArray(String[]::new)));
        }
        EegConfig config = builder.build();
        DriftSchedule<MotorImageryEeg> schedule = EegDrift.parse(drift);
        run.validate(chunkMs);
        publish(config, schedule, spec.commandLine().getErr());
        return 0;
    }

    private void publish(
            EegConfig config, DriftSchedule<MotorImageryEeg> schedule, PrintWriter err) {
        MotorImageryEeg eeg = new MotorImageryEeg(config);
        int channels = eeg.channels();
        StreamInfo eegInfo =
                StreamInfo.builder(run.prefix + "-eeg", "EEG", channels, ChannelFormat.FLOAT32)
                        .nominalSrateHz(config.sampleRateHz())
                        .sourceId(run.prefix + "-eeg-" + run.seed)
                        .channelLabels(config.montage().channelNames())
                        .channelUnit("microvolts")
                        .channelType("EEG")
                        .build();
        StreamInfo markerInfo =
                StreamInfo.builder(run.prefix + "-markers", "Markers", 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId(run.prefix + "-markers-" + run.seed)
                        .build();
        int chunk = Math.max(1, (int) Math.round(chunkMs * config.sampleRateHz() / 1000.0));
        float[] data = new float[channels * chunk];
        float[] frame = new float[channels];
        double[] stamps = new double[chunk];
        String[] marker = new String[1];
        double[] markerStamp = new double[1];
        try (Outlet eegOut = new Outlet(eegInfo);
                Outlet markerOut = new Outlet(markerInfo)) {
            err.printf(
                    Locale.ROOT,
                    "sim eeg: publishing '%s' (%d channels at %.0f Hz) and '%s'%s%n",
                    eegInfo.name(),
                    channels,
                    config.sampleRateHz(),
                    markerInfo.name(),
                    run.duration.untilText());
            err.flush();
            SimPacer pacer = new SimPacer(config.sampleRateHz());
            while (run.duration.running(pacer.elapsedS())) {
                pacer.awaitChunk(chunk);
                for (int s = 0; s < chunk; s++) {
                    schedule.applyDue(pacer.elapsedS(), eeg);
                    String m = eeg.step(frame);
                    System.arraycopy(frame, 0, data, s * channels, channels);
                    stamps[s] = pacer.nextStampS();
                    if (m != null) {
                        marker[0] = m;
                        markerStamp[0] = stamps[s];
                        markerOut.pushChunk(marker, markerStamp, 1);
                    }
                }
                eegOut.pushChunk(data, stamps, chunk);
            }
        }
    }
}
