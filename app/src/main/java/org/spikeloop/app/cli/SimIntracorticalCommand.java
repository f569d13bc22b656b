package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalDrift;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop sim intracortical}: the simulated intracortical array in real time as two LSL
 * outlets: {@code <prefix>-spikes} (type Spikes, float32 0/1 per unit at 1 kHz) and {@code
 * <prefix>-kinematics} (type Kinematics, float32 vx, vy in m/s at 1 kHz, same time stamps). Runs
 * for {@code --duration} seconds (0: until interrupted).
 */
@Command(
        name = "intracortical",
        mixinStandardHelpOptions = true,
        description = "Publish the simulated 96-unit array (spikes + hand velocity) over LSL.")
public final class SimIntracorticalCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin SimRunOptions run;

    @Option(
            names = "--units",
            paramLabel = "N",
            defaultValue = "96",
            description = "Units (channels of the spike stream). Default: ${DEFAULT-VALUE}.")
    int units;

    @Option(
            names = "--baseline-hz",
            defaultValue = "10",
            description = "Mean baseline rate, Hz. Default: ${DEFAULT-VALUE}.")
    double baselineHz;

    @Option(
            names = "--modulation-hz",
            defaultValue = "20",
            description = "Mean modulation depth, Hz. Default: ${DEFAULT-VALUE}.")
    double modulationHz;

    @Option(
            names = "--drift",
            defaultValue = "",
            description =
                    "Drift schedule, e.g. 30:rotate=30,60:dropout=0/10,90:new=10/5,120:gain=0.8."
                            + " Default: none.")
    String drift;

    @Option(
            names = "--chunk-ms",
            defaultValue = "10",
            description = "Samples per push, ms. Default: ${DEFAULT-VALUE}.")
    int chunkMs;

    @Override
    public Integer call() {
        RigConfig config = new RigConfig(units, 1.0, baselineHz, modulationHz, 0.1, 1.0, run.seed);
        DriftSchedule<IntracorticalRig> schedule = IntracorticalDrift.parse(drift);
        run.validate(chunkMs);
        publish(config, schedule, spec.commandLine().getErr());
        return 0;
    }

    private void publish(
            RigConfig config, DriftSchedule<IntracorticalRig> schedule, PrintWriter err) {
        IntracorticalRig rig = new IntracorticalRig(config);
        double rateHz = 1000.0 / config.dtMs();
        StreamInfo spikesInfo =
                StreamInfo.builder(run.prefix + "-spikes", "Spikes", units, ChannelFormat.FLOAT32)
                        .nominalSrateHz(rateHz)
                        .sourceId(run.prefix + "-spikes-" + run.seed)
                        .channelUnit("spikes") // spike count of the unit in the sample's bin
                        .build();
        StreamInfo kinInfo =
                StreamInfo.builder(
                                run.prefix + "-kinematics", "Kinematics", 2, ChannelFormat.FLOAT32)
                        .nominalSrateHz(rateHz)
                        .sourceId(run.prefix + "-kinematics-" + run.seed)
                        .channelLabels(java.util.List.of("vx", "vy"))
                        .channelUnit("m/s")
                        .build();
        int chunk = chunkMs;
        float[] spikes = new float[units * chunk];
        float[] kin = new float[2 * chunk];
        float[] frame = new float[units];
        double[] v = new double[2];
        double[] stamps = new double[chunk];
        try (Outlet spikesOut = new Outlet(spikesInfo);
                Outlet kinOut = new Outlet(kinInfo)) {
            err.printf(
                    Locale.ROOT,
                    "sim intracortical: publishing '%s' (%d units) and '%s' at %.0f Hz%s%n",
                    spikesInfo.name(),
                    units,
                    kinInfo.name(),
                    rateHz,
                    run.duration.untilText());
            err.flush();
            SimPacer pacer = new SimPacer(rateHz);
            while (run.duration.running(pacer.elapsedS())) {
                pacer.awaitChunk(chunk);
                for (int s = 0; s < chunk; s++) {
                    schedule.applyDue(pacer.elapsedS(), rig);
                    rig.step(frame, v);
                    System.arraycopy(frame, 0, spikes, s * units, units);
                    kin[2 * s] = (float) v[0];
                    kin[2 * s + 1] = (float) v[1];
                    stamps[s] = pacer.nextStampS();
                }
                spikesOut.pushChunk(spikes, stamps, chunk);
                kinOut.pushChunk(kin, stamps, chunk);
            }
        }
    }
}
