package org.spikeloop.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.spikeloop.app.demo.ServerDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop demo}: the main job on its embedded default — the server in-process on loopback,
 * a simulated rig over LSL, one learning session, a drift event, an XDF recording and a status line
 * per second (see {@link ServerDemo}). Exit 0 after {@code --duration} or Ctrl-C; failures end as
 * {@link FailureHandler} says (2 for bad options or a busy port).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the decoding server with a simulated 96-unit intracortical rig over LSL: a"
                        + " spiking decoder from a reference checkpoint adapts online with e-prop"
                        + " through a drift event; records to XDF. Runs until Ctrl-C or"
                        + " --duration.")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RunDuration duration;

    @Option(
            names = "--drift-at-s",
            paramLabel = "S",
            description =
                    "Seconds into the stream when tuning rotates (negative = no drift). Default:"
                            + " ${DEFAULT-VALUE}.")
    double driftAtS = 30;

    @Option(
            names = "--rotation-deg",
            paramLabel = "DEG",
            description = "Rotation of preferred directions, degrees. Default: ${DEFAULT-VALUE}.")
    double rotationDeg = 30;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            description = "Hidden LIF neurons. Default: ${DEFAULT-VALUE}.")
    int hidden = 256;

    @Option(
            names = "--train-s",
            paramLabel = "S",
            description =
                    "Seconds of calibration data the reference checkpoint is fitted on. Default:"
                            + " ${DEFAULT-VALUE}.")
    double trainS = 20;

    @Option(
            names = "--no-eprop",
            negatable = true,
            description = "Adapt online with e-prop. Default: on.")
    boolean eprop = true;

    @Option(
            names = "--learning-rate",
            paramLabel = "RATE",
            description = "e-prop learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate = 2e-4;

    @Option(
            names = "--update-interval",
            paramLabel = "STEPS",
            description = "Steps between e-prop weight updates. Default: ${DEFAULT-VALUE}.")
    int updateIntervalSteps = 100;

    @Option(
            names = "--r2-window-s",
            paramLabel = "S",
            description = "Sliding window of the status R², seconds. Default: ${DEFAULT-VALUE}.")
    double r2WindowS = 5;

    @Option(
            names = "--chunk-ms",
            paramLabel = "MS",
            description = "Samples per LSL push of the rig, ms. Default: ${DEFAULT-VALUE}.")
    int chunkMs = 1;

    @Mixin PortOptions ports;

    @Mixin DirectoryOptions dirs;

    @Option(names = "--seed", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        ServerDemo demo =
                new ServerDemo(
                        new ServerDemo.Settings(
                                duration.seconds(),
                                driftAtS,
                                rotationDeg,
                                hidden,
                                trainS,
                                eprop,
                                learningRate,
                                updateIntervalSteps,
                                r2WindowS,
                                chunkMs,
                                ports.grpc,
                                ports.metrics,
                                dirs.checkpoints,
                                dirs.recordings,
                                seed),
                        out);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(-1);
        // On Ctrl-C the JVM halts once hooks return: the hook waits for the run to close cleanly.
        // A clean stop is a success, so it then ends the process with 0 (not the JVM's 130).
        Thread hook =
                new Thread(
                        () -> {
                            demo.requestStop();
                            try {
                                if (finished.await(20, TimeUnit.SECONDS) && exitCode.get() == 0) {
                                    Runtime.getRuntime().halt(0);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ServerDemo.Summary s = demo.run();
            out.printf(
                    Locale.ROOT,
                    "done: %d frames, last R2 %.3f, %d deadline misses, %d learning updates;"
                            + " recording %s%n",
                    s.frames(),
                    s.lastR2(),
                    s.deadlineMisses(),
                    s.learningUpdates(),
                    s.recording());
            out.flush();
            exitCode.set(0);
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and the JVM exits after it.
            }
        }
    }

    /**
     * @throws IllegalArgumentException naming the first option whose value is impossible
     */
    private void validate() {
        duration.seconds();
        if (!(trainS > 0) || !Double.isFinite(trainS)) {
            throw new IllegalArgumentException("--train-s: must be > 0 seconds, got " + trainS);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("--hidden: must be >= 1, got " + hidden);
        }
        if (!(r2WindowS >= 0.002)) {
            throw new IllegalArgumentException(
                    "--r2-window-s: must be >= 0.002 seconds (two frames), got " + r2WindowS);
        }
        if (chunkMs < 1) {
            throw new IllegalArgumentException("--chunk-ms: must be >= 1, got " + chunkMs);
        }
        ports.validate();
    }
}
