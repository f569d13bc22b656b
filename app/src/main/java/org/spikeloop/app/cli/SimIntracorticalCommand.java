package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalDrift;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.app.demo.RigPublisher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop sim intracortical}: the simulated intracortical array in real time as two LSL
 * outlets: {@code <prefix>-spikes} (type Spikes, float32 0/1 per unit at 1 kHz) and {@code
 * <prefix>-kinematics} (type Kinematics, float32 vx, vy in m/s at 1 kHz, same time stamps), through
 * the demo's {@link RigPublisher}. Runs for {@code --duration} seconds of simulated data (0: until
 * interrupted), paced at {@code --speed} times real time.
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
            names = "--speed",
            defaultValue = "1",
            description =
                    "Publish this many times faster than real time (stamps are the publication"
                            + " times; --duration and --drift times are simulated seconds)."
                            + " Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(
            names = "--chunk-ms",
            defaultValue = "10",
            description = "Samples per push, ms. Default: ${DEFAULT-VALUE}.")
    int chunkMs;

    @Override
    public Integer call() throws InterruptedException {
        RigConfig config = new RigConfig(units, 1.0, baselineHz, modulationHz, 0.1, 1.0, run.seed);
        DriftSchedule<IntracorticalRig> schedule = IntracorticalDrift.parse(drift);
        run.validate(chunkMs);
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("--speed: must be finite and > 0, got " + speed);
        }
        publish(config, schedule, spec.commandLine().getErr());
        return 0;
    }

    private void publish(
            RigConfig config, DriftSchedule<IntracorticalRig> schedule, PrintWriter err)
            throws InterruptedException {
        double rateHz = 1000.0 / config.dtMs();
        long maxSamples = Math.round(run.duration.seconds() * rateHz);
        try (RigPublisher rig =
                new RigPublisher(
                        new IntracorticalRig(config),
                        schedule,
                        run.prefix,
                        Long.toString(run.seed),
                        (int) Math.round(chunkMs * rateHz / 1000.0),
                        rateHz,
                        maxSamples,
                        speed)) {
            err.printf(
                    Locale.ROOT,
                    "sim intracortical: publishing '%s' (%d units) and '%s' at %.0f Hz%s%s%n",
                    rig.spikesInfo().name(),
                    units,
                    rig.kinematicsInfo().name(),
                    rateHz,
                    speed == 1
                            ? ""
                            : ", paced at "
                                    + BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString()
                                    + "x real time",
                    run.duration.untilText());
            err.flush();
            rig.start();
            rig.awaitFinished();
        }
    }
}
