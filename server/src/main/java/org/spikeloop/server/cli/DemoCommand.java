package org.spikeloop.server.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.server.demo.BuiltInDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikeloop demo}: the main job on its embedded default (no hardware, no services). */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Decode a simulated 96-unit intracortical rig in real time with a spiking network"
                        + " that adapts online with e-prop; a drift event rotates the units' tuning."
                        + " Runs until Ctrl-C or --duration.")
public final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--duration",
            description = "Seconds to run (0 = until Ctrl-C). Default: ${DEFAULT-VALUE}.")
    double durationS = 0;

    @Option(
            names = "--drift-at",
            description = "Seconds into the run when tuning rotates. Default: ${DEFAULT-VALUE}.")
    double driftAtS = 30;

    @Option(
            names = "--rotation",
            description = "Rotation of preferred directions, degrees. Default: ${DEFAULT-VALUE}.")
    double rotationDeg = 30;

    @Option(names = "--neurons", description = "Hidden LIF neurons. Default: ${DEFAULT-VALUE}.")
    int neurons = 256;

    @Option(
            names = "--calibration",
            description = "Seconds of calibration data. Default: ${DEFAULT-VALUE}.")
    double calibrationS = 20;

    @Option(
            names = "--no-eprop",
            negatable = true,
            description = "Adapt online with e-prop (default on).")
    boolean eprop = true;

    @Option(names = "--seed", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Override
    public Integer call() {
        if (durationS < 0 || driftAtS < 0 || calibrationS <= 0 || neurons < 1) {
            System.err.println(
                    "spikeloop demo: --duration and --drift-at must be >= 0, --calibration > 0 and"
                            + " --neurons >= 1");
            return 2;
        }
        BuiltInDemo demo =
                new BuiltInDemo(
                        new BuiltInDemo.Settings(
                                durationS,
                                driftAtS,
                                rotationDeg,
                                neurons,
                                calibrationS,
                                eprop,
                                seed),
                        System.out);
        Thread main = Thread.currentThread();
        Thread hook =
                new Thread(
                        () -> {
                            demo.stop();
                            try {
                                main.join(5000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        BuiltInDemo.Summary s = demo.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is already running and waits for this thread to finish printing.
        }
        System.out.printf(
                Locale.ROOT,
                "done: %d steps, last R2 %.3f, %d deadline misses%n",
                s.steps(),
                s.lastR2(),
                s.deadlineMisses());
        System.out.flush();
        return 0;
    }
}
